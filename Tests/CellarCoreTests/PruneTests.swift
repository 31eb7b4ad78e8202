import CellarTestSupport
import Foundation
import Testing

@testable import CellarCore

@Suite("cellar prune: restic's retention policy over dated sidecars")
struct PruneTests {
  private static func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

  /// A backup every night at 02:00 UTC from 1 January to 31 March 2026, and a second one at
  /// 14:00 on the last day.
  private static var nightly: [String] {
    var times: [String] = []
    var day = date("2026-01-01T02:00:00Z")
    while day <= date("2026-03-31T02:00:00Z") {
      times.append(ISO8601DateFormatter().string(from: day))
      day += 86400
    }
    return times + ["2026-03-31T14:00:00Z"]
  }

  private static func kept(_ times: [String], _ policy: RetentionPolicy) -> [String: [String]] {
    var kept: [String: [String]] = [:]
    for (time, reasons) in zip(times, policy.apply(times.map(date))) where !reasons.isEmpty { kept[time] = reasons }
    return kept
  }

  @Test("--keep-last 2 --keep-daily 7 --keep-weekly 4 --keep-monthly 3 keeps what restic forget keeps")
  func resticPolicy() {
    var policy = RetentionPolicy()
    policy.last = 2
    policy.daily = 7
    policy.weekly = 4
    policy.monthly = 3
    // Worked out by hand with restic's rules: newest first, a rule keeps a backup whose bucket
    // differs from the last it kept; ISO weeks start on Monday (31 March 2026 is a Tuesday).
    #expect(
      Self.kept(Self.nightly, policy) == [
        "2026-03-31T14:00:00Z": ["last", "daily", "weekly", "monthly"],
        "2026-03-31T02:00:00Z": ["last"],
        "2026-03-30T02:00:00Z": ["daily"],
        "2026-03-29T02:00:00Z": ["daily", "weekly"],
        "2026-03-28T02:00:00Z": ["daily"],
        "2026-03-27T02:00:00Z": ["daily"],
        "2026-03-26T02:00:00Z": ["daily"],
        "2026-03-25T02:00:00Z": ["daily"],
        "2026-03-22T02:00:00Z": ["weekly"],
        "2026-03-15T02:00:00Z": ["weekly"],
        "2026-02-28T02:00:00Z": ["monthly"],
        "2026-01-31T02:00:00Z": ["monthly"],
      ])
  }

  @Test("a rule with count left also keeps the oldest backup; yearly buckets; order of input does not matter")
  func oldestAndYearly() {
    var policy = RetentionPolicy()
    policy.monthly = 5
    policy.yearly = 2
    let times = Self.nightly.reversed().map { $0 }
    #expect(
      Self.kept(times, policy) == [
        "2026-03-31T14:00:00Z": ["monthly", "yearly"],
        "2026-02-28T02:00:00Z": ["monthly"],
        "2026-01-31T02:00:00Z": ["monthly"],
        "2026-01-01T02:00:00Z": ["monthly", "yearly"],
      ])
  }

  @Test(
    "prune removes archive and sidecar together, keeps the bases a kept incremental needs, and --dry-run removes nothing"
  )
  func chainsAndFiles() throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let directory = scratch.url
    // Two chains: full-1 ← inc-2 ← inc-3, then full-4 ← inc-5; keep the newest of each day for 2 days.
    let backups: [(name: String, time: String, base: String?)] = [
      ("full-1", "2026-03-01T02:00:00Z", nil), ("inc-2", "2026-03-02T02:00:00Z", "full-1"),
      ("inc-3", "2026-03-03T02:00:00Z", "inc-2"), ("full-4", "2026-03-04T02:00:00Z", nil),
      ("inc-5", "2026-03-05T02:00:00Z", "full-4"),
    ]
    for backup in backups { try Self.writeBackup(in: directory, backup.name, at: backup.time, base: backup.base) }
    var policy = RetentionPolicy()
    policy.daily = 2
    var lines: [String] = []
    let planned = try Prune.run(directory: directory.path, policy: policy, dryRun: true) { lines.append($0) }
    #expect(
      planned.filter(\.isKept).map { ($0.entry.archive as NSString).lastPathComponent } == ["full-4.tar", "inc-5.tar"])
    #expect(lines.contains { $0.hasPrefix("keep   full-4.tar") && $0.contains("(daily, base of inc-5.tar)") })
    #expect(lines.contains { $0.hasPrefix("would remove full-1.tar") })
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: directory.path).count == 10, "a dry run removes nothing")

    policy.daily = 1
    policy.last = 0
    var kept = Prune.decide(try ArchiveCatalog.scan(directory.path).entries, policy: policy)
    #expect(kept.filter(\.isKept).map(\.reasons) == [["base of inc-5.tar"], ["daily"]])

    policy.daily = 0
    policy.last = 3
    kept = Prune.decide(try ArchiveCatalog.scan(directory.path).entries, policy: policy)
    #expect(
      kept.map(\.reasons) == [
        ["base of inc-2.tar"], ["base of inc-3.tar"], ["last"], ["last", "base of inc-5.tar"], ["last"],
      ],
      "inc-3 is kept, so are inc-2 and full-1 that it needs")

    policy.last = 1
    _ = try Prune.run(directory: directory.path, policy: policy, dryRun: false) { _ in }
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == [
        "full-4.tar", "full-4.tar.meta.json", "inc-5.tar", "inc-5.tar.meta.json",
      ])
  }

  @Test("the policy applies per server, context and sources: a rare workspace keeps its backup beside a frequent one")
  func groups() throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let directory = scratch.url
    try Self.writeBackup(in: directory, "personal", at: "2026-03-01T01:00:00Z", sources: ["personal-files"])
    for day in 1...30 {
      try Self.writeBackup(in: directory, "cf-\(day)", at: String(format: "2026-03-%02dT02:00:00Z", day))
    }
    try Self.writeBackup(in: directory, "admin", at: "2026-03-02T03:00:00Z", context: "admin")
    try Self.writeBackup(in: directory, "other", at: "2026-03-02T04:00:00Z", server: "https://other.example")
    var policy = RetentionPolicy()
    policy.last = 1
    var lines: [String] = []
    let decisions = try Prune.run(directory: directory.path, policy: policy, dryRun: true) { lines.append($0) }
    let kept = decisions.filter(\.isKept).map { ($0.entry.archive as NSString).lastPathComponent }
    #expect(Set(kept) == ["personal.tar", "cf-30.tar", "admin.tar", "other.tar"])
    #expect(lines.contains("group server http://cells, context user, sources personal-files: 1 backup"), "\(lines)")
    #expect(lines.contains("group server http://cells, context user, sources common-files: 30 backups"))
    #expect(lines.contains("group server http://cells, context admin, sources common-files: 1 backup"))
    #expect(lines.contains("group server https://other.example, context user, sources common-files: 1 backup"))

    let together = try Prune.run(directory: directory.path, policy: policy, groupBy: [], dryRun: true) { _ in }
    #expect(together.filter(\.isKept).map { ($0.entry.archive as NSString).lastPathComponent } == ["cf-30.tar"])
    let bySources = try Prune.run(directory: directory.path, policy: policy, groupBy: [.sources], dryRun: true) { _ in }
    #expect(
      Set(bySources.filter(\.isKept).map { ($0.entry.archive as NSString).lastPathComponent }) == [
        "personal.tar", "cf-30.tar",
      ])
    #expect(try PruneGroup.keys("server, sources") == [.server, .sources])
    #expect(throws: CellarError.self) { try PruneGroup.keys("host") }
  }

  @Test("backups started in the same second: a backup counts as newer than its base, whatever the names")
  func sameSecond() throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let directory = scratch.url
    // Named so that the incremental sorts first by name.
    try Self.writeBackup(in: directory, "b-full", at: "2026-03-01T02:00:00Z")
    try Self.writeBackup(in: directory, "a-inc", at: "2026-03-01T02:00:00Z", base: "b-full")
    let catalog = try ArchiveCatalog.scan(directory.path)
    #expect(catalog.entries.map { ($0.archive as NSString).lastPathComponent } == ["b-full.tar", "a-inc.tar"])
    #expect(catalog.latest(context: "user", sources: ["common-files"])?.archive.hasSuffix("a-inc.tar") == true)
    var policy = RetentionPolicy()
    policy.last = 1
    let decisions = Prune.decide(catalog.entries, policy: policy)
    #expect(decisions.map(\.reasons) == [["base of a-inc.tar"], ["last"]])
  }

  @Test("two full backups with the same bytes (an unchanged tree, one second): the one an incremental names is kept")
  func identicalArchives() throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let directory = scratch.url
    try Self.writeBackup(in: directory, "cf", at: "2026-03-01T02:00:00Z", sha256: "same")
    try Self.writeBackup(in: directory, "cf-2", at: "2026-03-01T02:00:00Z", sha256: "same")
    try Self.writeBackup(in: directory, "cf-3", at: "2026-03-01T02:00:00Z", base: "cf", baseSHA256: "same")
    var policy = RetentionPolicy()
    policy.last = 1
    let decisions = Prune.decide(try ArchiveCatalog.scan(directory.path).entries, policy: policy)
    let kept = decisions.filter(\.isKept).map { ($0.entry.archive as NSString).lastPathComponent }
    #expect(Set(kept) == ["cf.tar", "cf-3.tar"], "\(decisions.map(\.reasons))")
  }

  @Test("a sidecar that cannot be read stops prune: it may be an incremental whose base would go")
  func unreadableSidecar() throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let directory = scratch.url
    try Self.writeBackup(in: directory, "full", at: "2026-03-01T02:00:00Z")
    try Self.writeBackup(in: directory, "inc", at: "2026-03-02T02:00:00Z", base: "full")
    try Self.writeBackup(in: directory, "next", at: "2026-03-03T02:00:00Z")
    let damaged = directory.appendingPathComponent("inc.tar.meta.json")
    try Data(try Data(contentsOf: damaged).prefix(100)).write(to: damaged)
    var policy = RetentionPolicy()
    policy.last = 1
    var lines: [String] = []
    #expect(throws: CellarError.self) {
      try Prune.run(directory: directory.path, policy: policy, dryRun: false) { lines.append($0) }
    }
    #expect(lines.contains { $0.hasPrefix("cannot read \(damaged.path)") }, "\(lines)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).count == 6, "nothing removed")
  }

  /// Writes an archive NAME.tar and a sidecar as `cellar backup` would (their content aside).
  private static func writeBackup(
    in directory: URL, _ name: String, at time: String, base: String? = nil, sources: [String] = ["common-files"],
    context: String = "user", server: String = "http://cells", sha256: String? = nil, baseSHA256: String? = nil
  ) throws {
    let archive = directory.appendingPathComponent(name + ".tar").path
    try Data("archive \(name)".utf8).write(to: URL(fileURLWithPath: archive))
    let baseField =
      base.map { "\"base\":{\"name\":\"\($0).tar\",\"sha256\":\"\(baseSHA256 ?? "sha-" + $0)\",\"startedAt\":\"x\"}," }
      ?? ""
    let sourceList = sources.map { "\"\($0)\"" }.joined(separator: ",")
    let sidecar = """
      {\(baseField)"cellarManifest":1,"context":"\(context)","server":{"url":"\(server)","version":"4.4.0"},\
      "sources":[\(sourceList)],"startedAt":"\(time)","tool":{"name":"cellar","version":"0.1.0"},
      "nodes":[
      ],
      "errors":[],"finishedAt":"\(time)","namespaces":[],"summary":{"bytes":0,"errors":0,"files":0,"folders":0,"skipped":0},
      "archive":{"bytes":1,"format":"tar","name":"\(name).tar","sha256":"\(sha256 ?? "sha-" + name)"}}

      """
    try Data(sidecar.utf8).write(to: URL(fileURLWithPath: archive + ".meta.json"))
  }
}

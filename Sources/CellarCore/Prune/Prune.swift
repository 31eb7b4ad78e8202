// CellarCore: `cellar prune DIR --keep-…`: old backups removed by a retention policy, never a
// backup a kept incremental needs.
import Foundation
import S3Kit

/// Applies a retention policy to the backups of a directory.
public enum Prune {
  /// What happens to one backup.
  public struct Decision: Sendable, Equatable {
    /// The backup.
    public var entry: ArchiveCatalog.Entry
    /// Why it is kept ("daily", "weekly", "base of X"…); empty when it is removed.
    public var reasons: [String]

    /// Whether it is kept.
    public var isKept: Bool { !reasons.isEmpty }
  }

  private static let noRule = CellarError.usage(
    "give at least one --keep-last, --keep-hourly, --keep-daily, … rule; nothing was removed")

  /// The backups a prune may touch: those of `sources` in `context` whose archive's name
  /// starts with `namePrefix` (a profile's output template up to its first conversion, so that
  /// two profiles of the same sources keep their own backups).
  public struct Scope: Sendable {
    /// "user" or "admin".
    public var context: String
    /// The sources, as `backup` takes them.
    public var sources: [String]
    /// What the archives' names start with ("" for any name).
    public var namePrefix: String

    /// A scope.
    public init(context: String, sources: [String], namePrefix: String = "") {
      self.context = context
      self.sources = sources
      self.namePrefix = namePrefix
    }

    /// The scope of the backups `output` (a template) names: the text before its first `%`.
    public init(context: String, sources: [String], output: String) {
      let name = output.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? output
      self.init(context: context, sources: sources, namePrefix: String(name.prefix { $0 != "%" }))
    }
  }

  /// Decides, then (unless `dryRun`) removes each backup not kept.
  ///
  /// The policy is applied to each group of backups (`groupBy`: by default one server, context
  /// and set of sources) on its own. An archive and its sidecar go together. Returns the
  /// decisions, oldest first. `report` gets a line per group, then one per backup.
  ///
  /// With `scope`, only the backups of those sources in that context are considered (`prune
  /// --profile`: the profile's own backups, whoever else writes to the folder).
  public static func run(
    directory: String, policy: RetentionPolicy, groupBy: Set<PruneGroup.Key> = Set(PruneGroup.Key.allCases),
    scope: Scope? = nil, dryRun: Bool, report: (String) -> Void
  ) throws -> [Decision] {
    guard !policy.isEmpty else { throw noRule }
    let catalog = try ArchiveCatalog.scan(directory).restricted(to: scope)
    return try run(catalog, policy: policy, groupBy: groupBy, dryRun: dryRun, report: report) {
      path in
      do {
        try FileManager.default.removeItem(atPath: path)
      } catch CocoaError.fileNoSuchFile {
      } catch {
        throw CellarError.failed("cannot remove \(path): \((error as NSError).localizedDescription)")
      }
    }
  }

  /// Decides, then (unless `dryRun`) removes each backup not kept, under an S3 prefix
  /// (`s3://BUCKET/PREFIX/`): archive and sidecar objects go together, the archive first.
  public static func run(
    folder: S3ObjectURL, settings: S3Settings, policy: RetentionPolicy,
    groupBy: Set<PruneGroup.Key> = Set(PruneGroup.Key.allCases), scope: Scope? = nil, dryRun: Bool,
    report: (String) -> Void
  ) async throws -> [Decision] {
    guard !policy.isEmpty else { throw noRule }
    let catalog = try await ArchiveCatalog.scan(folder, settings: settings).restricted(to: scope)
    var removed: [String] = []
    let decisions = try run(catalog, policy: policy, groupBy: groupBy, dryRun: dryRun, report: report) {
      removed.append($0)
    }
    let client = try settings.client(bucket: folder.bucket)
    for url in removed {
      guard let object = try S3ObjectURL(url) else { continue }
      do {
        try await client.delete(object.key)
      } catch S3Error.notFound {
      } catch {
        throw CellarError.failed("cannot remove \(url): \(error)")
      }
    }
    return decisions
  }

  /// Applies `policy` to `catalog`, handing each archive and sidecar to remove to `remove`.
  private static func run(
    _ catalog: ArchiveCatalog, policy: RetentionPolicy, groupBy: Set<PruneGroup.Key> = [], dryRun: Bool,
    report: (String) -> Void, remove: (String) throws -> Void = { _ in }
  ) throws -> [Decision] {
    guard !policy.isEmpty else { throw noRule }
    for (path, reason) in catalog.unreadable { report("cannot read \(path): \(reason)") }
    // An unreadable sidecar may be an incremental backup whose base this run would remove.
    if !catalog.unreadable.isEmpty, !dryRun {
      let count = catalog.unreadable.count
      throw CellarError.failed(
        "\(count) sidecar\(count == 1 ? "" : "s") could not be read, so the backups they depend on are unknown: "
          + "nothing was removed (repair or move \(count == 1 ? "it" : "them") away; an encrypted one needs its --identity)"
      )
    }
    let groups = PruneGroup.split(catalog.entries, by: groupBy)
    let decisions = decide(groups, policy: policy)
    for group in groups {
      report("group \(group.label): \(group.entries.count) backup\(group.entries.count == 1 ? "" : "s")")
      for decision in decisions where group.entries.contains(decision.entry) {
        try apply(decision, dryRun: dryRun, report: report, remove: remove)
      }
    }
    return decisions
  }

  private static func apply(
    _ decision: Decision, dryRun: Bool, report: (String) -> Void, remove: (String) throws -> Void
  ) throws {
    let name = (decision.entry.archive as NSString).lastPathComponent
    if decision.isKept {
      report("keep   \(name)  \(decision.entry.header.startedAt)  (\(decision.reasons.joined(separator: ", ")))")
      return
    }
    report("\(dryRun ? "would remove" : "remove") \(name)  \(decision.entry.header.startedAt)")
    guard !dryRun else { return }
    for path in [decision.entry.archive, decision.entry.sidecar] { try remove(path) }
  }

  /// The policy's decisions for `entries` (oldest first) taken as one group.
  public static func decide(_ entries: [ArchiveCatalog.Entry], policy: RetentionPolicy) -> [Decision] {
    decide([PruneGroup(values: [], entries: entries)], policy: policy)
  }

  /// The policy's decisions for each group on its own, plus every backup a kept incremental
  /// depends on, through its chain of bases (in any group); oldest first.
  public static func decide(_ groups: [PruneGroup], policy: RetentionPolicy) -> [Decision] {
    // Oldest first; within one second, each group keeps its own order (a backup after its base).
    let ranked = groups.enumerated().flatMap { groupIndex, group in
      zip(group.entries, policy.apply(group.entries.map(\.startedAt))).enumerated().map { index, pair in
        (rank: (groupIndex, index), decision: Decision(entry: pair.0, reasons: pair.1))
      }
    }
    var decisions = ranked.sorted {
      ($0.decision.entry.startedAt, $0.rank.0, $0.rank.1) < ($1.decision.entry.startedAt, $1.rank.0, $1.rank.1)
    }.map(\.decision)
    // Two backups of an unchanged tree started within the same second are the same bytes: a
    // base is found by SHA-256 and, among equal ones, by the name the incremental records.
    let bySHA = Dictionary(grouping: decisions.indices) { decisions[$0].entry.record.sha256 }
    func baseIndex(_ base: ManifestHeader.Base) -> Int? {
      let candidates = bySHA[base.sha256] ?? []
      return candidates.first { decisions[$0].entry.record.name == base.name } ?? candidates.first
    }
    // The shards of one run restore only together: a kept shard keeps the others of its run,
    // so that a night with a failed shard never leaves the folder without a whole one.
    let keptShards = decisions.indices.filter { decisions[$0].isKept && decisions[$0].entry.header.shard != nil }
    for kept in keptShards {
      let name = (decisions[kept].entry.archive as NSString).lastPathComponent
      for other in decisions.indices where !decisions[other].isKept {
        if ShardSet.sameRun(decisions[kept].entry.header, decisions[other].entry.header) {
          decisions[other].reasons.append("shard of the run of \(name)")
        }
      }
    }
    for index in decisions.indices.reversed() where decisions[index].isKept {
      var current = index
      while let base = decisions[current].entry.header.base, let baseIndex = baseIndex(base) {
        // Its chain was walked already for a newer dependent.
        if decisions[baseIndex].reasons.contains(where: { $0.hasPrefix("base of ") }) { break }
        let dependent = (decisions[current].entry.archive as NSString).lastPathComponent
        decisions[baseIndex].reasons.append("base of \(dependent)")
        current = baseIndex
      }
    }
    return decisions
  }
}

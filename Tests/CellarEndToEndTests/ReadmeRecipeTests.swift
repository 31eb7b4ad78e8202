// CellarEndToEndTests: the README's cron and systemd lines are run as written (server URL and
// paths substituted) against the sandbox, so the documentation cannot drift from the program;
// the man pages' cron lines must be the README's.
import CellarCore
import CellarTestSupport
import CellsSandbox
import Foundation
import Testing

@Suite("README recipes: the nightly cron and systemd lines run as written")
struct ReadmeRecipeTests {
  private static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// The fenced blocks of the README with this info string, each as its lines.
  private static func blocks(_ info: String) throws -> [[String]] {
    let text = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
    var blocks: [[String]] = []
    var current: [String]?
    for line in text.components(separatedBy: "\n") {
      if current == nil, line == "```" + info {
        current = []
      } else if current != nil, line == "```" {
        blocks.append(current!)
        current = nil
      } else {
        current?.append(line)
      }
    }
    return blocks
  }

  /// The command of a crontab line (its five time fields dropped), as cron gives it to the shell.
  private static func command(ofCronLine line: String) -> String {
    var rest = Substring(line)
    for _ in 0..<5 {
      rest = rest.drop { $0 == " " }
      rest = rest.drop { $0 != " " }
    }
    return rest.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "\\%", with: "%")
  }

  /// The README's crontab lines: Job 1, then the incremental schedule (comments and variable
  /// settings left out; the PATH they set is checked to reach cellar's install folder).
  private static func cronLines() throws -> [String] {
    let lines = try blocks("crontab").flatMap { $0 }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
    let settings = lines.filter { $0.first?.isNumber == false }
    #expect(settings.allSatisfy { $0.hasPrefix("PATH=/usr/local/bin:") }, "\(settings)")
    return lines.filter { $0.first?.isNumber == true }
  }

  /// Runs `command` as cron or systemd would, pointed at `sandbox` and `scratch`.
  ///
  /// Its bucket is at moto (under a prefix of its own) with the keys of `scratch/aws`. The configuration file is `scratch/xdg/cellar/cellar.toml` (`XDG_CONFIG_HOME`), pings go
  /// to `ping` (a `ping_server.py` port), metrics into `scratch/metrics`.
  private static func run(
    _ command: String, _ sandbox: Sandbox, _ scratch: Scratch, ping: Int = 9
  ) async throws -> ChildResult {
    let line = localized(command, sandbox, scratch, ping: ping)
    let bin = URL(fileURLWithPath: BuiltProduct.path("cellar")).deletingLastPathComponent().path
    let path = bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
    return try await ChildProcess.run(
      "/bin/sh", ["-c", line],
      environment: [
        "PATH": path, "CELLS_TOKEN": "", "AWS_SHARED_CREDENTIALS_FILE": scratch.path("aws/credentials"),
        "AWS_CONFIG_FILE": scratch.path("aws/config"), "XDG_CONFIG_HOME": scratch.path("xdg"),
      ], timeout: .seconds(600))
  }

  /// `text` of the README with its server, files, bucket and check URLs replaced by the test's.
  private static func localized(_ text: String, _ sandbox: Sandbox, _ scratch: Scratch, ping: Int) -> String {
    text
      .replacingOccurrences(of: "https://cells.example.com", with: sandbox.baseURL.absoluteString)
      .replacingOccurrences(of: "/etc/cellar/token", with: scratch.path("token"))
      .replacingOccurrences(of: "/etc/cellar/age", with: scratch.path("age"))
      .replacingOccurrences(of: "/srv/backup", with: scratch.path("backup"))
      .replacingOccurrences(of: "s3://backups/", with: bucket(scratch))
      .replacingOccurrences(of: "/usr/local/bin/cellar", with: "cellar")
      .replacingOccurrences(of: "https://hc-ping.com/", with: "http://127.0.0.1:\(ping)/")
      .replacingOccurrences(of: "/var/lib/prometheus/node-exporter", with: scratch.path("metrics"))
  }

  /// Writes the README's configuration file where `run` has cellar find it.
  private static func writeConfig(_ sandbox: Sandbox, _ scratch: Scratch, ping: Int) throws {
    let toml = try #require(try blocks("toml").first).joined(separator: "\n")
    try FileManager.default.createDirectory(atPath: scratch.path("xdg/cellar"), withIntermediateDirectories: true)
    try localized(toml, sandbox, scratch, ping: ping)
      .write(toFile: scratch.path("xdg/cellar/cellar.toml"), atomically: true, encoding: .utf8)
  }

  /// Where the README's `s3://backups/` is, for this scratch folder.
  private static func bucket(_ scratch: Scratch) -> String {
    "s3://\(MotoServer.bucket)/\(scratch.url.lastPathComponent)/"
  }

  /// A scratch folder with the token file, the backup folder, an age key pair and the AWS files
  /// of the README's backup user (pointed at moto).
  private static func prepare(_ sandbox: Sandbox) throws -> Scratch {
    let scratch = try Scratch()
    let token = scratch.path("token")
    try Data((sandbox.token(for: "admin") + "\n").utf8).write(to: URL(fileURLWithPath: token))
    try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: token)
    for folder in ["backup", "age", "aws", "metrics"] {
      try FileManager.default.createDirectory(atPath: scratch.path(folder), withIntermediateDirectories: true)
    }
    _ = try ChildProcess.output("age-keygen", ["-o", scratch.path("age/identity.txt")])
    try ChildProcess.output("age-keygen", ["-y", scratch.path("age/identity.txt")])
      .write(to: URL(fileURLWithPath: scratch.path("age/recipients.txt")))
    try "[default]\naws_access_key_id = backup\naws_secret_access_key = secret\n"
      .write(toFile: scratch.path("aws/credentials"), atomically: true, encoding: .utf8)
    try "[default]\nregion = us-east-1\nendpoint_url = \(try MotoServer.endpoint())\n"
      .write(toFile: scratch.path("aws/config"), atomically: true, encoding: .utf8)
    return scratch
  }

  private static func sidecars(_ scratch: Scratch) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: scratch.path("backup")).filter { $0.hasSuffix(".meta.json") }
      .sorted()
  }

  /// Job 1: the profile's cron line encrypts to the bucket, pings and records metrics; the drill
  /// restores a sample and deletes it; the archive restores from the bucket; the systemd unit
  /// backs up and prunes locally.
  @Test("Job 1: the profile's nightly and drill lines, the bucket restored from, the systemd unit")
  func nightly() async throws {
    let cron = try Self.cronLines()
    try #require(cron.count == 5, "Job 1's two lines and the three of the incremental schedule: \(cron)")
    let unit = try Self.blocks("ini").flatMap { $0 }
    let exec = unit.filter { $0.hasPrefix("ExecStart") }.map {
      String($0.drop { $0 != "=" }.dropFirst()).replacingOccurrences(of: "%%", with: "%")
    }
    try #require(exec.count == 2, "\(unit)")
    #expect(unit.contains("User=backup"))
    try await withSandbox(seed: RestoreScenario.smallTree) { sandbox in
      let scratch = try Self.prepare(sandbox)
      defer { scratch.remove() }
      let pings = scratch.path("pings.log")
      let recorder = try ScriptServer(
        script: Self.root.appendingPathComponent("Tests/CellarTestSupport/ping_server.py").path,
        arguments: ["--log", pings])
      try Self.writeConfig(sandbox, scratch, ping: recorder.port)
      var run = try await Self.run(Self.command(ofCronLine: cron[0]), sandbox, scratch, ping: recorder.port)
      #expect(run.status == 0, "\(run.stderr)")
      var log = (try? String(contentsOfFile: pings, encoding: .utf8)) ?? ""
      #expect(log.contains(#""path": "/your-check-uuid/start""#), "\(log)")
      #expect(log.contains(#""path": "/your-check-uuid""#), "\(log)")
      let metrics = try String(contentsOfFile: scratch.path("metrics/cellar.prom"), encoding: .utf8)
      #expect(metrics.contains("cellar_backup_success{profile=\"nightly\"} 1"), "\(metrics)")
      // Sunday's drill: a sample restored, checked and deleted, with its own check pinged.
      run = try await Self.run(Self.command(ofCronLine: cron[1]), sandbox, scratch, ping: recorder.port)
      #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
      log = (try? String(contentsOfFile: pings, encoding: .utf8)) ?? ""
      #expect(log.contains(#""path": "/your-drill-check-uuid""#), "\(log)")
      #expect(!log.contains("/fail"), "\(log)")
      let afterDrill = try await SandboxDump.fetch(sandbox)
      #expect(afterDrill.nodes.allSatisfy { !$0.path.contains("cellar-drill") }, "the drill's scratch folder is gone")
      // One encrypted archive and its sidecar in the bucket; restored from there with the identity.
      run = try await Self.run(
        "aws s3 ls --recursive --endpoint-url \(try MotoServer.endpoint()) '\(Self.bucket(scratch))'", sandbox, scratch)
      let objects = run.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").last.map(String.init) }
      #expect(objects.count == 2 && objects.allSatisfy { $0.contains(".tar.zst.age") }, "\(run.stdout)")
      let object = try #require(objects.first { $0.hasSuffix(".tar.zst.age") })
      run = try await Self.run(
        "cellar restore 's3://\(MotoServer.bucket)/\(object)' --to common-files/restored "
          + "--identity /etc/cellar/age/identity.txt --url https://cells.example.com --token-file /etc/cellar/token -q",
        sandbox, scratch)
      #expect(run.status == 0, "\(run.stderr)")
      let dump = try await SandboxDump.fetch(sandbox)
      #expect(!dump.below("pydiods1/restored").isEmpty)
      for (relative, node) in dump.below("pydiods1/restored") where node.type == "LEAF" {
        let original = "pydiods1/" + String(decoding: relative, as: UTF8.self)
        #expect(dump.node(original)?.sha256 == node.sha256, "\(original)")
      }
      #expect(try Self.sidecars(scratch).isEmpty)
      for command in exec {
        run = try await Self.run(command, sandbox, scratch)
        #expect(run.status == 0, "\(command): \(run.stderr)")
      }
      let names = try Self.sidecars(scratch)
      try #require(names.count == 1, "\(names)")
      let archive = scratch.path("backup/" + String(names[0].dropLast(".meta.json".count)))
      run = try await Self.run("cellar verify '\(archive)'", sandbox, scratch)
      #expect(run.status == 0, "\(run.stderr)")
      let mode = try FileManager.default.attributesOfItem(atPath: archive)[.posixPermissions] as? NSNumber
      #expect(mode?.intValue == 0o600)
    }
  }

  @Test("the incremental schedule: a weekday first (a full backup), Sunday, a weekday, prune; the chain verifies")
  func incrementalSchedule() async throws {
    let cron = try Self.cronLines()
    try #require(cron.count == 5)
    let (sunday, weekday, prune) = (cron[2], cron[3], cron[4])
    #expect(sunday.hasPrefix("15 2 * * 0 ") && weekday.hasPrefix("15 2 * * 1-6 "), "\(cron)")
    try await withSandbox(seed: RestoreScenario.smallTree) { sandbox in
      let scratch = try Self.prepare(sandbox)
      defer { scratch.remove() }
      for (line, count) in [(weekday, 1), (sunday, 2), (weekday, 3)] {
        if line == weekday, count == 3 { try await sandbox.upload("common-files/Docs/monday.txt", "new\n") }
        let run = try await Self.run(Self.command(ofCronLine: line), sandbox, scratch)
        #expect(run.status == 0, "\(line): \(run.stderr)")
        let names = try Self.sidecars(scratch)
        #expect(names.count == count, "\(names)")
      }
      let newest = try ArchiveCatalog.newest(in: scratch.path("backup"))
      #expect(newest.base != nil, "the last weekday run is an incremental backup")
      var run = try await Self.run("cellar verify --chain '\(newest.archive)' --quiet", sandbox, scratch)
      #expect(run.status == 0, "\(run.stderr)")
      run = try await Self.run(Self.command(ofCronLine: prune), sandbox, scratch)
      #expect(run.status == 0, "\(run.stderr)")
      run = try await Self.run("cellar verify --chain '\(newest.archive)' --quiet", sandbox, scratch)
      #expect(run.status == 0, "prune kept what the chain needs: \(run.stderr)")
    }
  }

  @Test("the man pages' cron lines are the README's, written for cron (no continuation lines)")
  func manPagesAgree() throws {
    let readme = Set(try Self.cronLines().map { $0.split(separator: " ", omittingEmptySubsequences: true) })
    for page in ["example-cron.mdoc", "example-incremental.mdoc", "example-drill.mdoc"] {
      let text = try String(
        contentsOf: Self.root.appendingPathComponent("man/sections/" + page), encoding: .utf8)
      let lines = text.components(separatedBy: "\n").filter { $0.first?.isNumber == true }
        .map { $0.replacingOccurrences(of: "\\e", with: "\\") }
      #expect(!lines.isEmpty, "\(page)")
      for line in lines {
        #expect(!line.hasSuffix("\\"), "\(page): cron has no continuation lines: \(line)")
        #expect(readme.contains(line.split(separator: " ", omittingEmptySubsequences: true)), "\(page): \(line)")
      }
    }
  }
}

extension ArchiveCatalog {
  /// The newest backup of `directory`: its archive, and its base when it is incremental.
  fileprivate static func newest(in directory: String) throws -> (archive: String, base: String?) {
    let entry = try #require(try scan(directory).entries.last)
    return (entry.archive, entry.header.base?.name)
  }
}

// CellarCLI: `cellar drill ARCHIVE --sample N`.
import ArgumentParser
import CellarCore
import Foundation
import Synchronization

/// Restores a random sample of an archive into a scratch folder, checks it, deletes it.
struct DrillCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "drill",
    abstract: "Prove that a backup restores: restore a random sample into a scratch folder, check it, delete it.",
    discussion: """
      N files drawn at random from the archive's last state are restored with their metadata \
      into a new folder on the server (--scratch, default WORKSPACE/cellar-drill-TIME in the \
      archive's first workspace), as cellar restore would restore them. Each is then stat'ed \
      (size, the server's x-cells-hash), read back over S3 (SHA-256) and its usermeta-* values \
      compared with the manifest. The scratch folder is then deleted permanently (not into the \
      recycle bin). The drill prints what it checked and an estimate of a full restore's \
      duration, scaled from the sample's by files and bytes.

      With --profile and no ARCHIVE, the newest backup of the profile's sources in the folder of \
      its output is drilled; [profiles.NAME.drill] may set sample and scratch. --ping-url and \
      --metrics-file report the drill as they report a backup (metrics cellar_drill_*).

      Exit status 0 when every sampled file came back intact, 3 when one did not, 1 when the \
      drill could not run.
      """)

  @Argument(
    help: ArgumentHelp(
      "The archive to drill, or every shard of a sharded backup (default with --profile: its newest).",
      valueName: "archive"))
  var archives: [String] = []

  @Option(help: ArgumentHelp("How many files to restore and check (default: 20).", valueName: "n"))
  var sample: Int?

  @Option(help: ArgumentHelp("The new Cells folder to restore into (WORKSPACE/FOLDER).", valueName: "path"))
  var scratch: String?

  @Option(help: ArgumentHelp("Draw the same sample for the same number.", valueName: "n"))
  var seed: UInt64?

  @Flag(help: "Leave the scratch folder on the server.")
  var keepScratch = false

  @Flag(
    name: .shortAndLong, inversion: .prefixedNo,
    help: "Print nothing but problems (--no-quiet: print each step, over a profile's quiet).")
  var quiet: Bool?

  @OptionGroup(title: "Profile")
  var profile: ProfileOptions

  @OptionGroup(title: "Monitoring")
  var monitoring: MonitoringOptions

  @OptionGroup(title: "Connection")
  var connection: ConnectionOptions

  @OptionGroup(title: "S3 archives")
  var s3: S3Options

  @OptionGroup(title: "Encrypted archives")
  var decryption: DecryptionOptions

  mutating func validate() throws {
    let profile = try profile.load()
    if let profile { try fill(from: profile) }
    guard !archives.isEmpty || profile != nil else {
      throw ValidationError("give the archive to drill (or --profile)")
    }
    guard (sample ?? 20) >= 1 else { throw ValidationError("--sample must be at least 1") }
  }

  private mutating func fill(from profile: Profile) throws {
    sample = sample ?? profile.drill(.sample)?.integer
    scratch = scratch ?? profile.drill(.scratch)?.string
    quiet = quiet ?? profile.bool(.quiet)
    if archives.isEmpty { _ = try Self.newestOf(profile) }
    monitoring.fill(from: profile)
    connection.fill(from: profile)
    s3.fill(from: profile)
    decryption.fill(from: profile)
    try connection.validate()
    try monitoring.validate()
  }

  /// The profile's output folder, context and sources, where ARCHIVE is found when not given.
  private static func newestOf(_ profile: Profile) throws -> (folder: String, context: String, sources: [String]) {
    guard let output = profile.string(.output), let folder = OutputTemplate.folder(of: output) else {
      throw ValidationError("profile \(profile.name) names no output whose folder is fixed: give the archive")
    }
    return (folder, profile.context, profile.strings(.sources))
  }

  func run() async throws {
    let quiet = quiet == true
    let reporter: any ProgressReporter = quiet ? ErrorsOnlyReporter() : HumanReporter(isTerminal: false, verbose: false)
    let tracker = ProgressTracker(reporter: ErrorsOnlyReporter())
    let open = connection.opener(reportingTo: tracker, bytesPerSecond: nil)
    let say: @Sendable (String) -> Void = { line in if !quiet { print("drill: \(line)") } }
    var drill = DrillOptions(archives: archives, sample: sample ?? 20)
    (drill.scratch, drill.seed, drill.keepScratch) = (scratch, seed, keepScratch)
    let newestOf = try archives.isEmpty ? profile.load().map(Self.newestOf) : nil
    let (s3, decryption) = (s3, decryption)
    let label = profile.profile ?? archives.joined(separator: " ")
    let report = Mutex<DrillReport?>(nil)
    let monitor = try monitoring.monitor(command: "drill", label: label).map { monitor in
      CommandRunner.Monitoring(monitor: monitor) { report.withLock { $0.map(Self.gauges) } ?? [] }
    }
    let interrupted: @Sendable () -> String = {
      "interrupted; deleting the scratch folder (delete it yourself if it stays)"
    }
    // A stopped drill deletes its scratch folder on the server: a request and a few polls.
    try await CommandRunner.run(reporter: reporter, interrupted: interrupted, monitor: monitor, grace: .seconds(15)) {
      [drill] () async throws -> ExitStatus in
      var options = drill
      try decryption.install()
      let settings = try s3.install(for: options.archives + [newestOf?.folder].compactMap { $0 })
      options.s3 = settings
      if let newestOf {
        options.archives = try await DrillTarget.newest(
          in: newestOf.folder, context: newestOf.context, sources: newestOf.sources, s3: settings)
      }
      if options.archives.count > 1 {
        guard try await ShardSet.members(of: options.archives) != nil else {
          throw CellarError.usage("drill takes one archive, or every shard of a sharded backup")
        }
      }
      let done = try await RestoreDrill.run(options, connection: try await open(), tracker: tracker, say: say)
      report.withLock { $0 = done }
      for problem in done.problems { reporter.report(.error(path: nil, message: "drill: \(problem)")) }
      if let leftover = done.leftover { reporter.report(.error(path: nil, message: "drill: \(leftover)")) }
      say(Self.summary(done, archive: options.archives.joined(separator: " ")))
      // A scratch folder left on the server is a failure of the drill, not of the backup.
      return !done.problems.isEmpty ? .partial : done.leftover == nil ? .success : .failure
    }
  }

  private static func summary(_ report: DrillReport, archive: String) -> String {
    let verdict = report.problems.isEmpty ? "all intact" : "\(report.problems.count) problems"
    return "\(archive): \(report.files) files (\(HumanReporter.bytes(report.bytes))) restored in "
      + String(format: "%.1f s", report.restoreSeconds) + " and checked: \(verdict); a full restore of "
      + "\(report.totalFiles) files (\(HumanReporter.bytes(report.totalBytes))) would take about "
      + DurationText.format(.milliseconds(Int64(report.estimatedFullRestoreSeconds * 1000)))
  }

  /// What a drill reports to Prometheus.
  private static func gauges(_ report: DrillReport) -> [RunMetrics.Gauge] {
    [
      .init("files", Double(report.files), help: "Files the last drill restored and checked."),
      .init("bytes", Double(report.bytes), help: "Bytes the last drill restored and checked."),
      .init("problems", Double(report.problems.count), help: "Files of the last drill that did not come back intact."),
      .init("restore_seconds", report.restoreSeconds, help: "How long the last drill's restore took."),
      .init(
        "estimated_full_restore_seconds", report.estimatedFullRestoreSeconds,
        help: "A full restore's duration, scaled from the last drill's."),
    ]
  }
}

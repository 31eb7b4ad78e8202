// CellarCLI: `cellar backup SOURCE... --output FILE`.
import ArchiveKit
import ArgumentParser
import CellarCore
import CellsKit
import Synchronization

/// Backs up Cells paths into an archive and its metadata sidecar.
struct BackupCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "backup",
    abstract: "Back up workspaces or folders into an archive with a metadata sidecar.",
    discussion: """
      SOURCE is a Cells path: a workspace (common-files), a folder in it (common-files/projects), \
      or / for every workspace you see. With --admin, SOURCE is a datasource path (pydiods1, \
      pydiods1/projects, or / for every datasource) and bytes are read through the workspaces \
      that expose them.

      The archive holds one member per folder and file, named by its Cells path, and ends with \
      .cellar/manifest.json. The sidecar OUTPUT.meta.json holds the same manifest plus the \
      archive's size and SHA-256. Both are written under a temporary name and renamed only when \
      complete: a failed run never replaces a good archive. An existing archive or sidecar is \
      never replaced unless --overwrite (and never one another backup in the folder is relative \
      to); a templated --output whose name is taken gets a numbered name (NAME-2.tar.gz).
      """)

  @Argument(help: ArgumentHelp("Cells paths to back up (default: the profile's sources).", valueName: "source"))
  var sources: [String] = []

  @Option(
    name: .shortAndLong, help: ArgumentHelp("The archive to write, or - for standard output.", valueName: "file"),
    completion: .file())
  var output: String?

  @Option(
    help: ArgumentHelp(
      "tar, tar.gz, tar.zst, tar.xz or zip (default: from the output's name; tar on standard output).",
      valueName: "format"), completion: .list(ArchiveFormat.allCases.map(\.rawValue)))
  var format: String?

  @Option(help: ArgumentHelp("Compression level (gzip 1-9, zstd 1-19, xz 0-9, zip 0-9).", valueName: "n"))
  var level: Int?

  @Flag(
    inversion: .prefixedNo,
    help: "--admin: SOURCE paths are datasource paths (admin context); --no-admin: workspace paths (the default).")
  var admin: Bool?

  @Option(
    help: ArgumentHelp(
      "Archive only files matching this glob below SOURCE (repeatable, ** allowed).", valueName: "glob"))
  var include: [String] = []

  @Option(
    help: ArgumentHelp("Leave out files and folders matching this glob below SOURCE (repeatable).", valueName: "glob"))
  var exclude: [String] = []

  @Flag(
    inversion: .prefixedNo,
    help: "--include-recycle-bin: also archive the workspaces' recycle bins; --no-…: leave them out (the default).")
  var includeRecycleBin: Bool?

  @Flag(
    inversion: .prefixedNo,
    help: "--versions: also archive old versions of files, under .cellar/versions/; --no-versions: not (the default).")
  var versions: Bool?

  @Option(help: ArgumentHelp("Parallel downloads (default: \(Transfers.defaultJobs)).", valueName: "n"))
  var jobs: Int?

  @Option(
    help: ArgumentHelp("The sidecar to write (default: OUTPUT.meta.json).", valueName: "file"), completion: .file())
  var sidecar: String?

  @Flag(help: "List what would be archived, with counts and bytes; write nothing.")
  var dryRun = false

  @Option(
    help: ArgumentHelp(
      "Incremental backup since this backup's sidecar (or the newest backup of the same sources in this directory).",
      valueName: "sidecar-or-dir"), completion: .file())
  var since: String?

  @Flag(
    inversion: .prefixedNo,
    help:
      "--local-time: expand strftime conversions in --output (%Y%m%d-%H%M) in local time; --no-…: UTC (the default).")
  var localTime: Bool?

  @Option(
    help: ArgumentHelp(
      "Hold this lock file for the run, waiting while another run holds it (default for a templated --output: "
        + "DIR/.cellar.lock).", valueName: "file"), completion: .file())
  var lock: String?

  @Flag(help: "Take no lock, even for a templated --output.")
  var noLock = false

  @Flag(
    help:
      "Replace an archive and sidecar of the same name (never one another backup in the folder is relative to).")
  var overwrite = false

  @Option(
    help: ArgumentHelp(
      "Stop after this long (90m, 5h30m), removing the partial archive; the wait for the lock counts.",
      valueName: "duration"))
  var maxDuration: String?

  @Option(
    help: ArgumentHelp(
      "Limit the bandwidth to this many bytes per second, shared by all --jobs (512K, 10M).", valueName: "rate"))
  var bwlimit: String?

  @Option(
    help: ArgumentHelp(
      "Back up shard K of N (K from 0, as JOB_COMPLETION_INDEX): the files of one folder in N; OUTPUT gets -shardK-of-N.",
      valueName: "k/n"))
  var shard: String?

  @Option(
    help: ArgumentHelp(
      "What the shards of this run share (a Kubernetes Job's name), so that restore never mixes two runs' shards.",
      valueName: "id"))
  var shardSet: String?

  @OptionGroup(title: "Profile")
  var profile: ProfileOptions

  @OptionGroup(title: "Monitoring")
  var monitoring: MonitoringOptions

  @OptionGroup(title: "Encryption")
  var encryption: EncryptionOptions

  @OptionGroup(title: "S3 output (--output s3://BUCKET/KEY)")
  var s3: S3Options

  @OptionGroup(title: "Connection")
  var connection: ConnectionOptions

  @OptionGroup(title: "Output")
  var reporting: ReportingOptions

  mutating func validate() throws {
    if let profile = try profile.load() {
      fill(from: profile)
      try connection.validate()
      try monitoring.validate()
    }
    guard !sources.isEmpty else { throw ValidationError("give the sources to back up (or --profile NAME)") }
    guard let output else { throw ValidationError("give --output FILE (or --profile NAME)") }
    guard archiveFormat != nil else {
      throw ValidationError(
        format.map { "unknown format \($0): use tar, tar.gz, tar.zst, tar.xz or zip" }
          ?? "cannot tell the format from \(output): give --format")
    }
    if output == "-" && sidecar == nil && !dryRun {
      throw ValidationError("--output - writes the archive to standard output: give --sidecar FILE for the manifest")
    }
    guard (jobs ?? 1) >= 1 else { throw ValidationError("--jobs must be at least 1") }
    if let shard, shardSpec == nil {
      throw ValidationError("--shard \(shard): give K/N with 0 <= K < N, such as 0/4")
    }
    if shardSet != nil && shard == nil { throw ValidationError("--shard-set goes with --shard K/N") }
    if shard != nil && output == "-" {
      throw ValidationError("--shard writes an archive per shard: give a file or s3:// URL")
    }
    if let maxDuration, DurationText.parse(maxDuration) == nil {
      throw ValidationError("--max-duration \(maxDuration): give a duration such as 90m, 5h30m or 3600s")
    }
    if let bwlimit, ByteRate.parse(bwlimit) == nil {
      throw ValidationError("--bwlimit \(bwlimit): give bytes per second such as 512K or 10M")
    }
    if lock != nil && noLock { throw ValidationError("--lock and --no-lock contradict each other") }
    if encryption.encrypts && output == "-" {
      throw ValidationError("--output - cannot be encrypted: give a file or s3:// URL")
    }
    if !encryption.encrypts && output.lowercased().hasSuffix(".age") {
      throw ValidationError(
        "\(output) names an encrypted archive: give --encrypt-to, --encrypt-to-file or --passphrase-file")
    }
    if reporting.json && output == "-" && !dryRun {
      throw ValidationError("--json and --output - both want standard output")
    }
  }

  /// Takes from `profile` what no flag gave.
  private mutating func fill(from profile: Profile) {
    if sources.isEmpty { sources = profile.strings(.sources) }
    output = output ?? profile.string(.output)
    format = format ?? profile.string(.format)
    level = level ?? profile.integer(.level)
    admin = admin ?? profile.bool(.admin)
    if include.isEmpty { include = profile.strings(.include) }
    if exclude.isEmpty { exclude = profile.strings(.exclude) }
    includeRecycleBin = includeRecycleBin ?? profile.bool(.includeRecycleBin)
    versions = versions ?? profile.bool(.versions)
    jobs = jobs ?? profile.integer(.jobs)
    since = since ?? profile.string(.since)
    localTime = localTime ?? profile.bool(.localTime)
    lock = lock ?? profile.string(.lock)
    maxDuration = maxDuration ?? profile.string(.maxDuration)
    bwlimit = bwlimit ?? profile.string(.bwlimit)
    encryption.fill(from: profile)
    s3.fill(from: profile)
    connection.fill(from: profile)
    reporting.fill(from: profile)
    monitoring.fill(from: profile)
  }

  /// From --format, else from the output's name; plain tar on standard output.
  private var archiveFormat: ArchiveFormat? {
    if let format { return ArchiveFormat(rawValue: format.lowercased()) }
    return output == "-" ? .tar : output.flatMap { ArchiveFormat(fileName: $0) }
  }

  /// `--shard`, parsed (nil without it, or when it does not parse: `validate()` says so).
  private var shardSpec: ShardSpec? { shard.flatMap(ShardSpec.init) }

  /// The output, with `.age` added when the backup is encrypted.
  private var outputName: String {
    var output = self.output!
    if encryption.encrypts && !output.lowercased().hasSuffix(".age") { output += ".age" }
    return shardSpec?.named(output) ?? output
  }

  func run() async throws {
    var options = BackupOptions(sources: sources, output: outputName, format: archiveFormat!)
    options.shard = shardSpec
    options.shardSet = shardSet
    options.context = admin == true ? .admin : .user
    options.sidecar = sidecar.map { sidecar in shardSpec?.named(sidecar) ?? sidecar }
    options.level = level
    options.include = include
    options.exclude = exclude
    options.includeRecycleBin = includeRecycleBin ?? false
    options.versions = versions ?? false
    options.jobs = jobs ?? Transfers.defaultJobs
    options.dryRun = dryRun
    options.since = since
    options.localTime = localTime ?? false
    options.lock = lock
    options.noLock = noLock
    options.overwrite = overwrite
    options.maxDuration = maxDuration.flatMap(DurationText.parse)
    let rate = bwlimit.flatMap(ByteRate.parse)
    let reporter = reporting.reporter()
    let tracker = ProgressTracker(reporter: reporter)
    let open = connection.opener(reportingTo: tracker, bytesPerSecond: rate)
    let (encryption, s3, output, since) = (encryption, s3, outputName, since)
    let label = (profile.profile ?? sources.joined(separator: " ")) + (shard.map { " shard \($0)" } ?? "")
    let outcome = Mutex<BackupJob.Outcome?>(nil)
    let monitor = try monitoring.monitor(command: "backup", label: label).map { monitor in
      CommandRunner.Monitoring(monitor: monitor) { outcome.withLock { $0.map(Self.gauges) } ?? [] }
    }
    try await CommandRunner.run(reporter: reporter, monitor: monitor) { [options] in
      var options = options
      options.recipients = try encryption.load()
      options.s3 = try s3.install(for: [output] + [since].compactMap { $0 })
      let done = try await BackupJob(options: options, connection: try await open(), tracker: tracker).run()
      outcome.withLock { $0 = done }
      return done.summary.errors
    }
  }

  /// What a backup reports to Prometheus.
  private static func gauges(_ outcome: BackupJob.Outcome) -> [RunMetrics.Gauge] {
    let summary = outcome.summary
    return [
      .init("files", Double(summary.files), help: "Files archived by the last backup."),
      .init("folders", Double(summary.folders), help: "Folders archived by the last backup."),
      .init("bytes", Double(summary.bytes), help: "File bytes archived by the last backup."),
      .init("errors", Double(summary.errors), help: "Nodes the last backup could not archive."),
      .init(
        "archive_bytes", Double(outcome.archive?.bytes ?? 0),
        help: "Size of the last backup's archive (before encryption, as its sidecar records)."),
    ]
  }
}

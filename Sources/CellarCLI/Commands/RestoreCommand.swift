// CellarCLI: `cellar restore ARCHIVE [--to DEST]`.
import ArgumentParser
import CellarCore
import CellsKit

/// Restores an archive written by `cellar backup` (or a plain tar or zip) into Cells.
struct RestoreCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "restore",
    abstract: "Restore an archive into Cells: folders, files and their metadata.",
    discussion: """
      The whole archive is read once before anything is written: a damaged, truncated or \
      hostile archive (absolute names, .., links, devices, members its manifest does not \
      explain) is refused with nothing uploaded. The manifest comes from --sidecar, else from \
      ARCHIVE.meta.json, else from the archive's .cellar/manifest.json; an archive with none \
      restores its files and folders only.

      With --only, when the sidecar records where each member starts (archives written by this \
      cellar; without the sidecar, a tar.zst, tar.xz, tar or zip tells it from its own end), \
      only the selected members are read, from the frames that hold \
      them, each checked against the manifest's SHA-256 before it is uploaded: a file comes \
      back from a large nightly in seconds. ARCHIVE may be s3://BUCKET/KEY (its sidecar is \
      KEY.meta.json): such a restore then fetches only those byte ranges, any other restore \
      fetches the archive once into a temporary file.

      Folders are created in batches, small files uploaded in parallel, large ones in multipart \
      parts of 10 MiB; each upload is checked against the server's size and x-cells-hash. User \
      metadata (usermeta-* values and your bookmarks) is written back to the new nodes; missing \
      namespaces are created from the manifest when you are an admin. Modification times cannot \
      be set on Cells: restored nodes carry the time of the restore.

      The shards of a backup split over several processes (backup --shard K/N) are restored \
      together: give every shard's archive (the last of its chain; earlier archives are found \
      beside it by name); a missing shard is an error.

      Run again with --on-conflict skip (the default), an interrupted restore finishes the job.
      """)

  @Argument(
    help: ArgumentHelp(
      "The archive to restore; for incremental backups, the chain: the full backup first, the last one last; "
        + "for a sharded backup, every shard.",
      valueName: "archive"), completion: .file())
  var archives: [String]

  @Flag(help: "Restore the chain that ends with ARCHIVE, finding its earlier archives beside it by name.")
  var chain = false

  @Option(
    help: ArgumentHelp("Limit the bandwidth to this many bytes per second, shared by all --jobs.", valueName: "rate"))
  var bwlimit: String?

  @Option(help: ArgumentHelp("The Cells path that replaces the archive's source root.", valueName: "dest"))
  var to: String?

  @Option(
    help: ArgumentHelp(
      "Restore only what matches this glob, below the source root or as cellar ls prints it (repeatable).",
      valueName: "glob"))
  var only: [String] = []

  @Option(
    help: ArgumentHelp(
      "When a file exists: skip, overwrite, rename (name (1).ext) or fail before writing anything.",
      valueName: "policy"), completion: .list(ConflictPolicy.allCases.map(\.rawValue)))
  var onConflict: String = ConflictPolicy.skip.rawValue

  @Flag(help: "Do not write user metadata (tags, bookmarks…) back.")
  var noMetadata = false

  @Option(
    help: ArgumentHelp("The manifest sidecar (default: ARCHIVE.meta.json when present).", valueName: "file"),
    completion: .file())
  var sidecar: String?

  @Option(help: ArgumentHelp("Parallel uploads.", valueName: "n"))
  var jobs = Transfers.defaultJobs

  @Flag(help: "Print the plan (creates, uploads, skips, conflicts, metadata) on standard output; change nothing.")
  var dryRun = false

  @OptionGroup(title: "Connection")
  var connection: ConnectionOptions

  @OptionGroup(title: "S3 archives")
  var s3: S3Options

  @OptionGroup(title: "Encrypted archives")
  var decryption: DecryptionOptions

  @OptionGroup(title: "Output")
  var reporting: ReportingOptions

  @OptionGroup(title: "Profile (its server, credentials, S3 settings and identities)")
  var profile: ProfileOptions

  mutating func validate() throws {
    if let profile = try profile.load() {
      // Where the backups are and who may read them; not how the backup runs.
      connection.fill(from: profile)
      s3.fill(from: profile)
      decryption.fill(from: profile)
      try connection.validate()
    }
    guard ConflictPolicy(rawValue: onConflict) != nil else {
      throw ValidationError("unknown --on-conflict \(onConflict): use skip, overwrite, rename or fail")
    }
    guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
    guard !archives.isEmpty else { throw ValidationError("give the archive to restore") }
    if chain && archives.count > 1 { throw ValidationError("--chain takes only the last archive of the chain") }
    if sidecar != nil && archives.count > 1 { throw ValidationError("--sidecar is for a single archive") }
    if let bwlimit, ByteRate.parse(bwlimit) == nil {
      throw ValidationError("--bwlimit \(bwlimit): give bytes per second such as 512K or 10M")
    }
    if let to, to.split(separator: "/").contains(where: { $0 == ".." || $0 == "." }) {
      throw ValidationError("--to must be a plain Cells path, without . or ..")
    }
    for pattern in only where pattern.isEmpty { throw ValidationError("--only needs a pattern") }
  }

  func run() async throws {
    var options = RestoreOptions(
      archive: archives.last!, sidecar: sidecar, destination: to, only: only,
      onConflict: ConflictPolicy(rawValue: onConflict)!,
      restoresMetadata: !noMetadata, jobs: jobs, dryRun: dryRun)
    options.earlier = Array(archives.dropLast())
    options.followChain = chain

    let rate = bwlimit.flatMap(ByteRate.parse)
    // The plan is the point of a dry run: every node, on standard output.
    let reporter = reporting.reporter(plan: dryRun)
    let tracker = ProgressTracker(reporter: reporter)
    let open = connection.opener(reportingTo: tracker, bytesPerSecond: rate)
    let dryRun = dryRun
    let interrupted: @Sendable () -> String = {
      if dryRun { return "interrupted; a dry run changes nothing" }
      let done = tracker.snapshot
      return "interrupted; at least \(done.folders) folders and \(done.files) files "
        + "(\(HumanReporter.bytes(done.bytes))) were restored before the stop and stay on the server; "
        + "running the same command again finishes the restore (what is already there is skipped)"
    }
    try await CommandRunner.run(reporter: reporter, interrupted: interrupted) { [options, s3, decryption] in
      var options = options
      try decryption.install()
      options.s3 = try s3.install(for: options.earlier + [options.archive])
      let connection = try await open()
      // A shard restores with the others of its run only: alone it would look complete and not be.
      if let shards = try await ShardSet.members(of: options.earlier + [options.archive]) {
        var failed = 0
        for shard in shards {
          var one = options
          (one.archive, one.earlier, one.followChain) = (shard.archive, [], shard.isIncremental)
          failed += try await Restore.run(one, connection: connection, tracker: tracker)
        }
        return failed
      }
      if options.s3 != nil, options.followChain || !options.earlier.isEmpty {
        throw CellarError.usage("an s3:// archive is restored on its own: the archives of a chain are local files")
      }
      return try await Restore.run(options, connection: connection, tracker: tracker)
    }
  }
}

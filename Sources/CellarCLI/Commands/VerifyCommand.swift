// CellarCLI: `cellar verify ARCHIVE [--remote]`, `cellar verify FULL INC1 INC2`, `cellar verify INC2 --chain`.
import ArgumentParser
import CellarCore
import CellsKit

/// Checks an archive against its sidecar and manifest, and optionally against the server.
struct VerifyCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify",
    abstract: "Check an archive against its sidecar and manifest, and optionally against the server.",
    discussion: """
      The archive's size and SHA-256 are checked against the sidecar's record; every member is \
      then read once and its size and SHA-256 checked against the manifest; every folder and \
      file of the manifest must be present exactly once, and no member may be unknown to it; the \
      archive's own .cellar/manifest.json must be the sidecar's manifest. Without a sidecar the \
      archive is checked against its own manifest (read first, so the archive is read twice).

      --remote then walks the backed-up sources on the server, in the backup's context, and \
      reports nodes missing, changed (type, size or x-cells-hash) or added since the backup. \
      With --remote and only the sidecar at hand, the archive checks are skipped.

      Given a chain of incremental backups (FULL INC1 ... INCn, or INCn --chain to find the \
      earlier archives beside it by their base names), each archive is checked as above, then \
      the chain: the first must be a full backup, each other's base must be the archive before \
      it (by SHA-256), and every file of the last state whose bytes are stored in an earlier \
      archive must be a member of that archive with the recorded size and SHA-256. Each earlier \
      archive is read once. With --remote, the last archive's manifest is compared.

      Each problem is one error line (or JSON event) whose message starts with what is damaged: \
      archive, data, manifest, sidecar, remote or chain. Exit status 0 when all is well, 3 when \
      an archive, sidecar, manifest or chain is damaged, 5 when they are sound and only the \
      server changed since the backup (--remote). ARCHIVE may be given as its sidecar \
      (NAME.meta.json), as for ls.
      """)

  @Argument(
    help: ArgumentHelp(
      "The archive to check; for incremental backups, the chain: the full backup first, the last one last.",
      valueName: "archive"), completion: .file())
  var archives: [String]

  @Flag(help: "Check the chain that ends with ARCHIVE, finding its earlier archives beside it by name.")
  var chain = false

  @Option(
    help: ArgumentHelp("The manifest sidecar (default: ARCHIVE.meta.json when present).", valueName: "file"),
    completion: .file())
  var sidecar: String?

  @Flag(help: "Also compare the manifest with the live server.")
  var remote = false

  @OptionGroup(title: "S3 archives")
  var s3: S3Options

  @OptionGroup(title: "Encrypted archives")
  var decryption: DecryptionOptions

  @OptionGroup(title: "Connection (with --remote)")
  var connection: ConnectionOptions

  @OptionGroup(title: "Output")
  var reporting: ReportingOptions

  func validate() throws {
    guard !archives.isEmpty else { throw ValidationError("give the archive to check") }
    if chain && archives.count > 1 { throw ValidationError("--chain takes only the last archive of the chain") }
  }

  func run() async throws {
    let options = VerifyOptions(
      archive: archives[archives.count - 1], sidecar: sidecar, remote: remote, earlier: Array(archives.dropLast()),
      followChain: chain)
    let reporter = reporting.reporter()
    let tracker = ProgressTracker(reporter: reporter)
    let open = connection.opener(reportingTo: tracker, bytesPerSecond: nil)
    let (s3, decryption, archives) = (s3, decryption, archives)
    try await CommandRunner.run(reporter: reporter) { [options] in
      try decryption.install()
      try s3.install(for: archives + [options.sidecar].compactMap { $0 })
      if archives.count > 1, let shards = try await ShardSet.members(of: archives) {
        // Each shard on its own (with its chain); the worst outcome is the command's.
        var worst = ExitStatus.success
        for shard in shards {
          var one = options
          (one.archive, one.earlier, one.followChain) = (shard.archive, [], shard.isIncremental)
          let status = try await Verify.run(one, tracker: tracker, connect: open)
          if status != .success && (worst == .success || worst == .serverChanged) { worst = status }
        }
        return worst
      }
      return try await Verify.run(options, tracker: tracker, connect: open)
    }
  }
}

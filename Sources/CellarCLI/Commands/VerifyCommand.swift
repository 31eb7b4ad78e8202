// CellarCLI: `cellar verify ARCHIVE [--remote]`.
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

      Each problem is one error line (or JSON event) whose message starts with what is damaged: \
      archive, data, manifest, sidecar or remote. Exit status 0 when all is well, 3 when \
      problems were found.
      """)

  @Argument(help: ArgumentHelp("The archive to check.", valueName: "archive"))
  var archive: String

  @Option(help: ArgumentHelp("The manifest sidecar (default: ARCHIVE.meta.json when present).", valueName: "file"))
  var sidecar: String?

  @Flag(help: "Also compare the manifest with the live server.")
  var remote = false

  @OptionGroup(title: "Connection (with --remote)")
  var connection: ConnectionOptions

  @OptionGroup(title: "Output")
  var reporting: ReportingOptions

  func run() async throws {
    let options = VerifyOptions(archive: archive, sidecar: sidecar, remote: remote)
    let reporter = reporting.reporter()
    let tracker = ProgressTracker(reporter: reporter)
    let open = connection.opener(reportingTo: tracker, bytesPerSecond: nil, transfers: 1)
    try await CommandRunner.run(reporter: reporter) { [options] in
      try await Verify.run(options, tracker: tracker, connect: open)
    }
  }
}

// CellarCLI: `cellar cat ARCHIVE PATH`.
import ArgumentParser
import CellarCore

/// Writes one file of an archive to standard output.
struct CatCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cat",
    abstract: "Write one file of an archive to standard output.",
    discussion: """
      PATH is the file's Cells path as the archive records it (as cellar ls shows it). Like \
      cellar extract, cat reads only the frames that hold the file when the sidecar records \
      where it starts, and the whole archive otherwise. The bytes are checked against the \
      SHA-256 the manifest records as they pass: standard output cannot be taken back, so a \
      mismatch is reported after them and the command exits 1.
      """)

  @Argument(help: ArgumentHelp("The archive: a file, or s3://BUCKET/KEY.", valueName: "archive"), completion: .file())
  var archive: String

  @Argument(help: ArgumentHelp("The Cells path of a file in the archive.", valueName: "path"))
  var path: String

  @Option(
    help: ArgumentHelp("The manifest sidecar (default: ARCHIVE.meta.json when present).", valueName: "file"),
    completion: .file())
  var sidecar: String?

  @OptionGroup(title: "S3 archives")
  var s3: S3Options

  @OptionGroup(title: "Encrypted archives")
  var decryption: DecryptionOptions

  func run() async throws {
    let reporter = ExtractReporter(json: false, verbose: false, printsFailures: false)
    try await CommandRunner.run(reporter: ErrorsOnlyReporter(), interrupted: { "interrupted" }) {
      [archive, sidecar, path, s3, decryption] in
      try decryption.install()
      let options = ExtractOptions(
        archive: archive, sidecar: sidecar, paths: [path], destination: nil, s3: try s3.install(for: [archive]))
      let summary = try await Extraction(options) { reporter.report($0) }.run()
      if summary.errors > 0 { throw CellarError.failed(reporter.failure ?? "\(options.paths[0]): not extracted") }
      return 0
    }
  }
}

// CellarCLI: `cellar extract ARCHIVE PATH... --to DIR`.
import ArgumentParser
import CellarCore

/// Copies files and folders out of an archive onto the local disk.
struct ExtractCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "extract",
    abstract: "Copy files and folders out of an archive onto the local disk.",
    discussion: """
      Each PATH is a Cells path as the archive records it (as cellar ls shows it); a folder \
      brings everything below it. Files land under DIR at their full path (DIR/workspace/folder/\
      name), each written under a temporary name, checked against the SHA-256 the manifest \
      records and only then renamed into place; an existing file is kept unless --overwrite is \
      given. Names are checked as restore checks them, and no symbolic link or file in DIR is \
      followed or replaced on the way.

      When the sidecar (ARCHIVE.meta.json, or --sidecar) records where each member starts, only \
      the frames that hold the requested members are read: a few MiB of a tar.gz, tar.zst or \
      tar.xz written by cellar, the members themselves of a tar or zip. Without the sidecar, a \
      tar.zst, tar.xz, tar or zip written by cellar gives the same from its own end (its seek \
      table or xz index, and its manifest member). Other archives (a tar.gz without its sidecar, \
      archives written by older cellar versions or other tools) are read front to back. The \
      closing line says how much of the archive was read.
      """)

  @Argument(help: ArgumentHelp("The archive: a file, or s3://BUCKET/KEY.", valueName: "archive"), completion: .file())
  var archive: String

  @Argument(help: ArgumentHelp("Cells paths of files or folders in the archive.", valueName: "path"))
  var paths: [String]

  @Option(name: .customLong("to"), help: ArgumentHelp("The local folder to extract into.", valueName: "dir"))
  var destination: String

  @Flag(help: "Replace local files that exist.")
  var overwrite = false

  @Option(
    help: ArgumentHelp("The manifest sidecar (default: ARCHIVE.meta.json when present).", valueName: "file"),
    completion: .file())
  var sidecar: String?

  @Flag(name: .shortAndLong, help: "List each folder and file as it is extracted.")
  var verbose = false

  @Flag(name: .shortAndLong, help: "Print errors only.")
  var quiet = false

  @Flag(help: "Write one JSON object per node and a summary on standard output.")
  var json = false

  @OptionGroup(title: "S3 archives")
  var s3: S3Options

  @OptionGroup(title: "Encrypted archives")
  var decryption: DecryptionOptions

  func run() async throws {
    let reporter = ExtractReporter(json: json, verbose: verbose)
    try await CommandRunner.run(
      // With --json the error that ends the command is the last line, as for every command.
      reporter: json ? JSONLinesReporter(output: .standardOutput) : ErrorsOnlyReporter(),
      interrupted: { "interrupted; no partial file was left" }
    ) { [archive, sidecar, paths, destination, overwrite, s3, quiet, decryption] in
      try decryption.install()
      let options = ExtractOptions(
        archive: archive, sidecar: sidecar, paths: paths, destination: destination, overwrite: overwrite,
        s3: try s3.install(for: [archive]))
      let summary = try await Extraction(options) { reporter.report($0) }.run()
      reporter.finish(summary, quiet: quiet)
      return summary.errors
    }
  }
}

// CellarCLI: `cellar ls ARCHIVE [--long] [--json]`.
import ArgumentParser
import CellarCore
import Foundation

/// Lists what an archive holds, from its manifest.
struct ListCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ls",
    abstract: "List an archive's folders and files, in archive order.",
    discussion: """
      Each line gives the type (d folder, - file), the size in bytes, the modification time \
      (UTC) and the Cells path. The list comes from the manifest: the sidecar ARCHIVE.meta.json \
      when it is there (the archive itself is not opened, so it may be elsewhere: give the \
      archive's name or the sidecar's), else the archive's own .cellar/manifest.json. An archive \
      without a manifest (not written by cellar) is listed from its members.

      --long adds each node's Uuid on the server it came from, its Cells content hash \
      (x-cells-hash), and, on the lines below it, "stored in NAME as MEMBER" when the node is a \
      file of an incremental backup whose bytes are in the earlier archive NAME, its user \
      metadata and archived old versions. --json prints each node as the manifest records it, \
      one JSON object per line (with its "stored" record, if any).
      """)

  @Argument(
    help: ArgumentHelp(
      "The archive, or its sidecar NAME.meta.json; for a sharded backup, every shard.", valueName: "archive"),
    completion: .file())
  var archives: [String]

  @Flag(name: .shortAndLong, help: "Also show Uuids, content hashes, user metadata and old versions.")
  var long = false

  @Flag(help: "Write one JSON object per node on standard output.")
  var json = false

  @Flag(help: "List the members as stored, reading the whole archive, instead of its manifest.")
  var members = false

  @Option(
    help: ArgumentHelp("The manifest sidecar (default: ARCHIVE.meta.json when present).", valueName: "file"),
    completion: .file())
  var sidecar: String?

  @OptionGroup(title: "S3 archives")
  var s3: S3Options

  @OptionGroup(title: "Encrypted archives")
  var decryption: DecryptionOptions

  func validate() throws {
    guard !archives.isEmpty else { throw ValidationError("give the archive to list") }
    if archives.count > 1 && sidecar != nil { throw ValidationError("--sidecar is for a single archive") }
  }

  func run() async throws {
    let (s3, decryption, archives, sidecar, members, long) = (s3, decryption, archives, sidecar, members, long)
    let renderer = ListRenderer(long: long, json: json)
    let reporter = ErrorsOnlyReporter()
    try await CommandRunner.run(reporter: reporter) {
      try decryption.install()
      try s3.install(for: archives + [sidecar].compactMap { $0 })
      var listed = archives
      if archives.count > 1 {
        guard let shards = try await ShardSet.members(of: archives) else {
          throw CellarError.usage("ls takes one archive, or every shard of a sharded backup")
        }
        listed = shards.map(\.archive)
      }
      for archive in listed {
        let options = ListOptions(archive: archive, sidecar: sidecar, members: members, hashes: long)
        let origin = try await ArchiveList.run(options) { renderer.write($0) }
        renderer.flush()
        if origin == .members, !members, long || json {
          StandardError.print("cellar: \(archive) has no manifest: only the members' own headers are listed")
        }
      }
      return 0
    }
  }
}

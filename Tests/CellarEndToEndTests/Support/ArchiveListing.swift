// CellarEndToEndTests: what an archive holds, as Python's tarfile/zipfile read it.
import CellarTestSupport
import Foundation

/// The members of an archive read by an independent reader (Fixtures/read_archive.py).
struct ArchiveListing {
  struct Member: Decodable, Equatable {
    var name: String
    var type: String
    var size: Int64
    var sha256: String?
  }

  var members: [Member]

  /// Lists `path` with Python.
  static func read(_ path: String) async throws -> ArchiveListing {
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Fixtures/read_archive.py").path
    let run = try await ChildProcess.run("python3", [script, path])
    guard run.status == 0 else {
      throw ChildFailure(command: "read_archive.py \(path)", status: run.status, stderr: run.stderr)
    }
    struct Output: Decodable { var members: [Member] }
    return ArchiveListing(members: try JSONDecoder().decode(Output.self, from: run.stdoutData).members)
  }

  /// The member names, types and checksums of `path`, manifest left out: its content, whatever
  /// the format and the compression, in archive order.
  static func content(_ path: String) async throws -> [[String]] {
    try await read(path).members.filter { $0.name != ".cellar/manifest.json" }.map {
      [$0.name, $0.type, $0.sha256 ?? ""]
    }
  }

  /// The members by name, as bytes (NFC and NFD names stay apart).
  var byName: [[UInt8]: Member] {
    Dictionary(members.map { (Array($0.name.utf8), $0) }) { first, _ in first }
  }
}

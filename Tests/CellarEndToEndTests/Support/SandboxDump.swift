// CellarEndToEndTests: the sandbox's own view of its tree (`GET /a/sandbox/dump`), the reference
// that backups are checked against.
import CellarTestSupport
import CellsSandbox
import Foundation

/// Every node the sandbox holds, with SHA-256 and MetaStore, fetched with curl.
struct SandboxDump {
  struct Node: Decodable {
    var path: String
    var uuid: String
    var type: String
    /// Bytes (int64 as a JSON string, as Cells sends it).
    var sizeText: String?
    var sha256: String?
    var metaStore: [String: String]?

    enum CodingKeys: String, CodingKey {
      case path = "Path", uuid = "Uuid", type = "Type", sizeText = "Size", sha256 = "Sha256", metaStore = "MetaStore"
    }

    var size: Int64 { sizeText.flatMap { Int64($0) } ?? 0 }
    var name: String { path.split(separator: "/").last.map(String.init) ?? path }
  }

  var nodes: [Node]

  static func fetch(_ sandbox: Sandbox) async throws -> SandboxDump {
    let run = try await ChildProcess.run(
      "curl",
      [
        "-sf", "-H", "Authorization: Bearer \(sandbox.token(for: "admin"))",
        sandbox.baseURL.absoluteString + "/a/sandbox/dump",
      ])
    guard run.status == 0 else { throw ChildFailure(command: "curl dump", status: run.status, stderr: run.stderr) }
    struct Output: Decodable {
      var nodes: [Node]
      enum CodingKeys: String, CodingKey { case nodes = "Nodes" }
    }
    return SandboxDump(nodes: try JSONDecoder().decode(Output.self, from: run.stdoutData).nodes)
  }

  /// The nodes below the admin path `prefix` that a backup keeps (no `.pydio` markers, no
  /// recycle bin), renamed under `workspace` (the user path that maps `prefix`), by path as
  /// bytes (Swift's String keys would merge NFC and NFD names).
  func backedUp(below prefix: String, as workspace: String) -> [[UInt8]: Node] {
    var kept: [[UInt8]: Node] = [:]
    for node in nodes where node.path.utf8.starts(with: (prefix + "/").utf8) {
      let relative = String(decoding: node.path.utf8.dropFirst(prefix.utf8.count + 1), as: UTF8.self)
      if node.name == ".pydio" || relative == "recycle_bin" || relative.hasPrefix("recycle_bin/") { continue }
      var renamed = node
      renamed.path = workspace + "/" + relative
      kept[Array(renamed.path.utf8)] = renamed
    }
    return kept
  }
}

// CellarEndToEndTests: a sidecar read as plain JSON (not through cellar's own reader).
import Foundation

/// The sidecar document, as JSONSerialization sees it.
struct Sidecar {
  var document: [String: Any]

  init(path: String) throws {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    document = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
  }

  var nodes: [[String: Any]] { document["nodes"] as? [[String: Any]] ?? [] }
  var summary: [String: Any] { document["summary"] as? [String: Any] ?? [:] }
  var archive: [String: Any] { document["archive"] as? [String: Any] ?? [:] }
  var errors: [[String: Any]] { document["errors"] as? [[String: Any]] ?? [] }

  /// Nodes by path, as bytes.
  var nodesByPath: [[UInt8]: [String: Any]] {
    Dictionary(nodes.map { (Array(($0["path"] as? String ?? "").utf8), $0) }) { first, _ in first }
  }
}

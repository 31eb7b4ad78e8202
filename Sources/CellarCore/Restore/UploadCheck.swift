// CellarCore: whether a file restore uploaded is on the server as it was sent, and as the
// manifest recorded it (docs/cells-protocol.md, "Content hash").
import CellsKit

/// The check of one uploaded file: the bytes sent against the manifest, then the server's size
/// and `x-cells-hash` against the bytes sent.
enum UploadCheck {
  /// What the check found.
  enum Verdict: Equatable, Sendable {
    /// Everything that could be compared matches.
    case matches
    /// The bytes match the manifest and the size the server's, but the server gave no
    /// `x-cells-hash` to compare.
    case noServerHash
    /// Something differs (the text says what).
    case differs(String)

    /// Whether something differs.
    var isDifference: Bool {
      if case .differs = self { return true }
      return false
    }
  }

  /// The verdict on `node` (uploaded, with its digests) as `server` now shows it; a node that
  /// was not uploaded matches.
  static func verdict(of node: RestoredNode, on server: TreeNode) -> Verdict {
    guard let sent = node.uploaded else { return .matches }
    if let expected = node.expectedSHA256, expected != sent.sha256 {
      return .differs("the archive's bytes do not match the manifest (SHA-256 \(sent.sha256), expected \(expected))")
    }
    // With a SHA-256 that matched, the bytes are those backed up; the server's hash recorded
    // then may be of another part layout (a manifest from before `wholeContentHash`).
    if node.expectedSHA256 == nil, let expected = node.expectedContentHash, expected != sent.cellsHash {
      return .differs(
        "the archive's bytes do not match the manifest (Cells hash \(sent.cellsHash), expected \(expected))")
    }
    if server.size != sent.size { return .differs("the server holds \(server.size) bytes, \(sent.size) were sent") }
    guard let hash = server.contentHash else { return .noServerHash }
    if hash != sent.cellsHash { return .differs("the server's x-cells-hash is \(hash), expected \(sent.cellsHash)") }
    return .matches
  }
}

// CellarCoreTests: the verdicts of UploadCheck on an uploaded file against the manifest and the
// server's answer.
import CellsKit
import Testing

@testable import CellarCore

@Suite("UploadCheck")
struct UploadCheckTests {
  private static let sent = ArchiveCursor.Digests(sha256: "aa", cellsHash: "cc", size: 5)

  private static func node(sha256: String? = "aa", contentHash: String? = nil) -> RestoredNode {
    RestoredNode(
      target: "ws/f", isFolder: false, uploaded: sent, expectedContentHash: contentHash, expectedSHA256: sha256,
      metas: [])
  }

  private static func server(size: Int64 = 5, hash: String? = "cc") -> TreeNode {
    TreeNode(path: "ws/f", type: .leaf, size: size, metaStore: hash.map { ["x-cells-hash": "\"\($0)\""] } ?? [:])
  }

  @Test("bytes as recorded and as the server holds them match; without a server hash they cannot be checked")
  func verdicts() {
    #expect(UploadCheck.verdict(of: Self.node(), on: Self.server()) == .matches)
    #expect(UploadCheck.verdict(of: Self.node(), on: Self.server(hash: nil)) == .noServerHash)
    #expect(UploadCheck.verdict(of: Self.node(sha256: "bb"), on: Self.server()).isDifference)
    #expect(UploadCheck.verdict(of: Self.node(sha256: nil, contentHash: "dd"), on: Self.server()).isDifference)
    #expect(UploadCheck.verdict(of: Self.node(sha256: "aa", contentHash: "dd"), on: Self.server()) == .matches)
    #expect(
      UploadCheck.verdict(of: Self.node(), on: Self.server(size: 6))
        == .differs("the server holds 6 bytes, 5 were sent"))
    #expect(UploadCheck.verdict(of: Self.node(), on: Self.server(hash: "ee")).isDifference)
    var folder = Self.node()
    folder.uploaded = nil
    #expect(UploadCheck.verdict(of: folder, on: Self.server(size: 0, hash: nil)) == .matches)
  }
}

// CellarCore: the two checksums of a file's bytes, computed as they pass.
import HashKit

/// SHA-256 (for the manifest) and the Cells content hash (to check against `x-cells-hash`) of
/// one stream of bytes.
final class ContentDigests {
  private let sha256: SHA256
  private let cells: CellsContentHash
  /// Bytes seen.
  private(set) var byteCount: Int64 = 0

  init() throws {
    sha256 = try SHA256()
    cells = try CellsContentHash()
  }

  func update(_ bytes: [UInt8]) throws {
    try bytes.withUnsafeBytes { raw in
      try sha256.update(raw)
      try cells.update(raw)
    }
    byteCount += Int64(bytes.count)
  }

  /// The hex digests: (sha256, Cells hash).
  func finalize() throws -> (sha256: String, cellsHash: String) {
    (try sha256.finalize().hex, try cells.finalize().hex)
  }
}

@available(*, unavailable)
extension ContentDigests: Sendable {}

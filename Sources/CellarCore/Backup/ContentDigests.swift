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

  /// Hashes a large chunk with both functions at once, on two threads: MD5 (the Cells hash) is
  /// the slowest step of a large download, and would otherwise wait for SHA-256.
  func updateInParallel(_ bytes: [UInt8]) async throws {
    guard bytes.count >= Self.parallelThreshold else { return try update(bytes) }
    // Safe: this task waits for the child before either hash is touched again.
    nonisolated(unsafe) let cells = self.cells
    async let cellsDone: Void = bytes.withUnsafeBytes { try cells.update($0) }
    try bytes.withUnsafeBytes { try sha256.update($0) }
    try await cellsDone
    byteCount += Int64(bytes.count)
  }

  /// Below this size a chunk is not worth a second thread.
  static let parallelThreshold = 1 << 20

  /// The hex digests: (sha256, Cells hash).
  func finalize() throws -> (sha256: String, cellsHash: String) {
    (try sha256.finalize().hex, try cells.finalize().hex)
  }
}

@available(*, unavailable)
extension ContentDigests: Sendable {}

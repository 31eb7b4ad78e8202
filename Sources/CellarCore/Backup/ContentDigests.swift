// CellarCore: the two checksums of a file's bytes, computed as they pass.
import HashKit

/// SHA-256 (for the manifest) and the Cells content hash (to check against `x-cells-hash`) of
/// one stream of bytes.
final class ContentDigests {
  private let sha256: SHA256
  private let cells: CellsContentHash
  /// Bytes seen.
  private(set) var byteCount: Int64 = 0
  /// Set once a stream's chunks are large: the Cells hash is then computed behind.
  private var trailing: TrailingCellsHash?

  init() throws {
    sha256 = try SHA256()
    cells = try CellsContentHash()
  }

  func update(_ bytes: [UInt8]) throws {
    precondition(trailing == nil, "the Cells hash is trailing: feed it through updateStreaming")
    try bytes.withUnsafeBytes { raw in
      try sha256.update(raw)
      try cells.update(raw)
    }
    byteCount += Int64(bytes.count)
  }

  /// Hashes a chunk of a large stream: from the first chunk of `trailingThreshold` bytes on, the
  /// Cells hash trails behind on a queue of its own (`TrailingCellsHash`) while SHA-256 runs here.
  ///
  /// Call `finish()`, not `finalize()`, at the end of a stream fed this way.
  func updateStreaming(_ bytes: [UInt8]) async throws {
    if trailing == nil, bytes.count >= Self.trailingThreshold {
      trailing = TrailingCellsHash(continuing: cells)
    }
    guard let trailing else { return try update(bytes) }
    await trailing.update(bytes)
    try bytes.withUnsafeBytes { try sha256.update($0) }
    byteCount += Int64(bytes.count)
  }

  /// Below this size a chunk is not worth a thread of its own.
  static let trailingThreshold = 1 << 20

  /// The hex digests: (sha256, Cells hash).
  func finalize() throws -> (sha256: String, cellsHash: String) {
    precondition(trailing == nil, "a stream fed by updateStreaming ends with finish()")
    return (try sha256.finalize().hex, try cells.finalize().hex)
  }

  /// The hex digests of a stream fed by `updateStreaming`, once the trailing hash is done.
  func finish() async throws -> (sha256: String, cellsHash: String) {
    guard let trailing else { return try finalize() }
    let cellsHash = try await trailing.finalize()
    return (try sha256.finalize().hex, cellsHash)
  }
}

@available(*, unavailable)
extension ContentDigests: Sendable {}

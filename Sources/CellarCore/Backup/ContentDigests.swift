// CellarCore: the two checksums of a file's bytes, computed as they pass.
import HashKit

/// SHA-256 (for the manifest) and the Cells content hash (to check against `x-cells-hash`) of
/// one stream of bytes; also the Cells hashes of the part sizes an upload in parts may have had
/// (`follow(etag:size:)`).
final class ContentDigests {
  /// The hex digests of a stream.
  struct Result: Equatable {
    /// SHA-256.
    var sha256: String
    /// The Cells hash of the content taken whole.
    var cellsHash: String
    /// The Cells hashes of the content cut in parts of `ContentCheck.candidatePartSizes`.
    var partHashes: [String] = []
  }

  private let sha256: SHA256
  private let cells: CellsContentHash
  private var partHashes: [CellsContentHash] = []
  /// Bytes seen.
  private(set) var byteCount: Int64 = 0
  /// Set once a stream's chunks are large: the Cells hash is then computed behind.
  private var trailing: TrailingCellsHash?

  init() throws {
    sha256 = try SHA256()
    cells = try CellsContentHash()
  }

  /// Also computes the hashes a multipart upload of `size` bytes with this ETag may have.
  ///
  /// None for an ETag that is not a multipart one. Called before the first byte.
  func follow(etag: String, size: Int64) throws {
    precondition(byteCount == 0, "the part layout is set before the bytes")
    partHashes = try ContentCheck.candidatePartSizes(size: size, etag: etag).map { try CellsContentHash(partSize: $0) }
  }

  func update(_ bytes: [UInt8]) throws {
    precondition(trailing == nil, "the Cells hash is trailing: feed it through updateStreaming")
    try bytes.withUnsafeBytes { raw in
      try sha256.update(raw)
      try cells.update(raw)
      for hash in partHashes { try hash.update(raw) }
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
    try bytes.withUnsafeBytes { raw in
      try sha256.update(raw)
      for hash in partHashes { try hash.update(raw) }
    }
    byteCount += Int64(bytes.count)
  }

  /// Below this size a chunk is not worth a thread of its own.
  static let trailingThreshold = 1 << 20

  /// The hex digests.
  func finalize() throws -> Result {
    precondition(trailing == nil, "a stream fed by updateStreaming ends with finish()")
    return Result(
      sha256: try sha256.finalize().hex, cellsHash: try cells.finalize().hex,
      partHashes: try partHashes.map { try $0.finalize().hex })
  }

  /// The hex digests of a stream fed by `updateStreaming`, once the trailing hash is done.
  func finish() async throws -> Result {
    guard let trailing else { return try finalize() }
    let cellsHash = try await trailing.finalize()
    return Result(
      sha256: try sha256.finalize().hex, cellsHash: cellsHash, partHashes: try partHashes.map { try $0.finalize().hex })
  }
}

@available(*, unavailable)
extension ContentDigests: Sendable {}

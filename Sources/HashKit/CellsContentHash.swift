// HashKit: the Pydio Cells content hash (`x-cells-hash`), computed while bytes stream past.

/// The Pydio Cells content hash (cells-api.md §5.3): the content is cut into 10 MiB blocks, each
/// block is hashed with MD5, and the result is the MD5 of the concatenated block digests
/// (`hex` gives the `x-cells-hash` value).
///
/// Fed in chunks of any size; it never holds a block in memory. Both MD5s run incrementally: one
/// over the current block, one over the block digests. It follows cells-client's
/// `common/hasher/block-hash.go` exactly: a block is closed only when more bytes arrive after it
/// is full, and `finalize()` always closes the current block, so empty content is one empty block
/// and content of exactly N × 10 MiB has N blocks (no trailing empty one).
public final class CellsContentHash: HashFunction {
  /// The block size, 10 MiB (10 × 1024 × 1024 bytes).
  public static let blockSize = 10 * 1024 * 1024

  private let blockHash: DigestContext
  private let digestOfBlockDigests: DigestContext
  private var bytesInBlock = 0
  /// The number of content bytes fed since creation or the last `finalize()`.
  public private(set) var byteCount: Int64 = 0

  /// Starts a hash over empty content.
  ///
  /// Throws `HashError` when OpenSSL cannot provide MD5.
  public init() throws {
    blockHash = try DigestContext(algorithm: "MD5")
    digestOfBlockDigests = try DigestContext(algorithm: "MD5")
  }

  /// Feeds the next bytes of the content.
  public func update(_ bytes: UnsafeRawBufferPointer) throws {
    var rest = bytes[...]
    while !rest.isEmpty {
      if bytesInBlock == Self.blockSize { try closeBlock() }
      let take = min(rest.count, Self.blockSize - bytesInBlock)
      try blockHash.update(UnsafeRawBufferPointer(rebasing: rest.prefix(take)))
      bytesInBlock += take
      byteCount += Int64(take)
      rest = rest.dropFirst(take)
    }
  }

  /// Returns the content hash of everything fed so far (its `hex` is the `x-cells-hash` value)
  /// and starts over with empty content.
  public func finalize() throws -> Digest {
    try closeBlock()
    let result = Digest(bytes: try digestOfBlockDigests.finalize())
    byteCount = 0
    return result
  }

  private func closeBlock() throws {
    try digestOfBlockDigests.update(blockHash.finalize())
    bytesInBlock = 0
  }
}

extension DigestContext {
  /// Feeds an array of bytes.
  fileprivate func update(_ bytes: [UInt8]) throws {
    try bytes.withUnsafeBytes { try update($0) }
  }
}

@available(*, unavailable)
extension CellsContentHash: Sendable {}

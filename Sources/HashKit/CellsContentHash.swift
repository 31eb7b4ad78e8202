// HashKit: the Pydio Cells content hash (`x-cells-hash`), computed while bytes stream past.

/// The Pydio Cells content hash: the content is cut into 10 MiB blocks, each block is hashed with
/// MD5, and the result is the MD5 of the concatenated block digests (`hex` gives the
/// `x-cells-hash` value; docs/cells-protocol.md, "Content hash").
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
  /// With `partSize`: bytes of the current part so far.
  private var bytesInPart = 0
  /// The size of the parts of a multipart upload this hash follows, nil for whole content.
  public let partSize: Int?
  /// The number of content bytes fed since creation or the last `finalize()`.
  public private(set) var byteCount: Int64 = 0

  /// Starts a hash over empty content.
  ///
  /// Throws `HashError` when OpenSSL cannot provide MD5.
  public init() throws {
    blockHash = try DigestContext(algorithm: "MD5")
    digestOfBlockDigests = try DigestContext(algorithm: "MD5")
    partSize = nil
  }

  /// Starts the hash Cells gives content uploaded in parts of `partSize` bytes (the last part
  /// shorter): the server cuts each part into 10 MiB blocks of its own, so a part that is not a
  /// multiple of 10 MiB ends in a short block (docs/cells-protocol.md, "Content hash").
  public init(partSize: Int) throws {
    precondition(partSize > 0, "parts have bytes")
    blockHash = try DigestContext(algorithm: "MD5")
    digestOfBlockDigests = try DigestContext(algorithm: "MD5")
    self.partSize = partSize
  }

  /// Feeds the next bytes of the content.
  public func update(_ bytes: UnsafeRawBufferPointer) throws {
    var rest = bytes[...]
    while !rest.isEmpty {
      if bytesInBlock == Self.blockSize || (partSize != nil && bytesInPart == partSize) { try closeBlock() }
      if let partSize, bytesInPart == partSize { bytesInPart = 0 }
      var take = min(rest.count, Self.blockSize - bytesInBlock)
      if let partSize { take = min(take, partSize - bytesInPart) }
      try blockHash.update(UnsafeRawBufferPointer(rebasing: rest.prefix(take)))
      bytesInBlock += take
      bytesInPart += take
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
    bytesInPart = 0
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

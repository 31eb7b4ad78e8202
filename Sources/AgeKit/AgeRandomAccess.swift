// AgeKit: reading any range of an age file's plaintext, decrypting only the chunks that hold it.

/// Random access to the plaintext of an age file whose ciphertext can be read at any offset.
///
/// Opening reads the header, unwraps the file key and authenticates the header, then decrypts
/// the final chunk: the plaintext size is computed from the file size, and the spec requires
/// that the end be verified before it is relied on (a file cut at a chunk boundary would
/// otherwise look whole). That chunk stays cached, so a caller that next reads the tail (an
/// archive index) pays nothing more. Use one instance from one task at a time.
public final class AgeRandomAccess {
  /// The size of the decrypted content.
  public let plaintextSize: Int64
  /// The file offset of the first payload chunk (after the header and the 16-byte payload nonce);
  /// plaintext chunk i (of 64 KiB) is stored at `payloadStart + i × 65552`.
  public let payloadStart: Int64

  private let size: Int64
  private let chunkCount: Int64
  private let readCiphertext: (Int64, Int) throws -> [UInt8]
  private let payload: PayloadCipher
  private var cache = [UInt8](repeating: 0, count: AgeFormat.chunkSize)
  private var cachedChunk: Int64 = -1
  private var cachedCount = 0

  /// Reads and parses the header of a file of `size` bytes, reading from offset 0 in small
  /// growing pieces; unwraps the file key with the first identity that matches; checks the
  /// header MAC; and authenticates the final chunk.
  ///
  /// `read(offset, count)` must return the `count` bytes at `offset` (fewer only past the end).
  /// Throws `AgeError` for a file that is not age, a header that is malformed or fails its MAC,
  /// no matching identity, or a payload that is truncated, damaged at its end or followed by
  /// data; and whatever `read` throws.
  public init(size: Int64, identities: [AgeIdentity], read: @escaping (Int64, Int) throws -> [UInt8]) throws {
    precondition(size >= 0, "a negative file size")
    var bytes: [UInt8] = []
    var piece = 512
    var parsed: AgeHeader?
    while parsed == nil {
      parsed = try AgeHeader.parse(bytes, atEnd: Int64(bytes.count) >= size)
      guard parsed == nil else { break }
      let count = Int(min(Int64(piece), size - Int64(bytes.count)))
      let more = try read(Int64(bytes.count), count)
      guard !more.isEmpty else { throw AgeError.truncated }
      bytes += more.prefix(count)
      piece = min(piece * 2, 64 * 1024)
    }
    let header = parsed!
    let fileKey = try FileKeyUnwrapper.fileKey(of: header, identities: identities)
    payload = try PayloadCipher(fileKey: fileKey, payloadNonce: header.payloadNonce)
    readCiphertext = read
    self.size = size
    payloadStart = Int64(header.length)
    let payloadSize = size - payloadStart
    let sealed = Int64(AgeFormat.sealedChunkSize)
    chunkCount = (payloadSize + sealed - 1) / sealed
    plaintextSize = max(0, payloadSize - chunkCount * Int64(AgeFormat.tagSize))
    guard chunkCount > 0 else { throw AgeError.truncated }
    try decrypt(chunks: (chunkCount - 1)...(chunkCount - 1)) { _, _ in }
  }

  /// Up to `count` plaintext bytes from plaintext `offset` (fewer only at the end, none past it).
  ///
  /// Decrypts and authenticates only the chunks that hold them, reusing the last chunk decrypted,
  /// and reads the ciphertext of the others with one `read` call. Throws `AgeError.damaged` when a
  /// chunk fails authentication (`.truncated` or `.trailingData` where that is what it shows).
  public func read(at offset: Int64, count: Int) throws -> [UInt8] {
    precondition(offset >= 0 && count >= 0, "a negative offset or count")
    guard offset < plaintextSize, count > 0 else { return [] }
    let end = offset + min(Int64(count), plaintextSize - offset)
    var result: [UInt8] = []
    result.reserveCapacity(Int(end - offset))
    func take(_ index: Int64, _ plaintext: UnsafeRawBufferPointer) {
      let chunkStart = index * Int64(AgeFormat.chunkSize)
      let from = Int(max(offset, chunkStart) - chunkStart)
      let to = Int(min(end, chunkStart + Int64(plaintext.count)) - chunkStart)
      result.append(contentsOf: plaintext[from..<to])
    }
    var first = offset / Int64(AgeFormat.chunkSize)
    let last = (end - 1) / Int64(AgeFormat.chunkSize)
    // Only a cached first chunk is worth using: one elsewhere would split the read in two.
    if first == cachedChunk {
      cache.withUnsafeBytes { take(first, UnsafeRawBufferPointer(rebasing: $0[0..<cachedCount])) }
      first += 1
    }
    if first <= last { try decrypt(chunks: first...last, take) }
    return result
  }

  /// The ciphertext bytes of the file that `read(at: offset, count: count)` decrypts (whole
  /// chunks), for callers that count or prefetch what will be read.
  public func ciphertextRange(plaintextOffset offset: Int64, count: Int) -> Range<Int64> {
    guard offset < plaintextSize, count > 0 else { return payloadStart..<payloadStart }
    let end = offset + min(Int64(count), plaintextSize - offset)
    let first = offset / Int64(AgeFormat.chunkSize)
    let last = (end - 1) / Int64(AgeFormat.chunkSize)
    let sealed = Int64(AgeFormat.sealedChunkSize)
    return (payloadStart + first * sealed)..<min(payloadStart + (last + 1) * sealed, size)
  }

  /// Reads the ciphertext of `chunks` in one call and decrypts them in turn into the cache,
  /// handing each plaintext to `body`.
  private func decrypt(chunks: ClosedRange<Int64>, _ body: (Int64, UnsafeRawBufferPointer) -> Void) throws {
    let sealed = Int64(AgeFormat.sealedChunkSize)
    let start = payloadStart + chunks.lowerBound * sealed
    let end = min(payloadStart + (chunks.upperBound + 1) * sealed, size)
    let ciphertext = try readExactly(at: start, count: Int(end - start))
    try ciphertext.withUnsafeBytes { all in
      for index in chunks {
        let from = Int((index - chunks.lowerBound) * sealed)
        let to = min(from + Int(sealed), all.count)
        try open(chunk: index, UnsafeRawBufferPointer(rebasing: all[from..<to]))
        cache.withUnsafeBytes { body(index, UnsafeRawBufferPointer(rebasing: $0[0..<cachedCount])) }
      }
    }
  }

  /// Decrypts chunk `index` into the cache, or throws what its failure shows.
  private func open(chunk index: Int64, _ ciphertext: UnsafeRawBufferPointer) throws {
    cachedChunk = -1
    let last = index == chunkCount - 1
    // A non-final chunk is full; a final one holds at least a tag, and is empty only if alone.
    let plausible =
      last
      ? ciphertext.count > AgeFormat.tagSize || (index == 0 && ciphertext.count == AgeFormat.tagSize)
      : ciphertext.count == AgeFormat.sealedChunkSize
    if plausible,
      let count = try cache.withUnsafeMutableBytes({ try payload.open(chunk: index, last: last, ciphertext, into: $0) })
    {
      cachedChunk = index
      cachedCount = count
      return
    }
    throw try diagnose(chunk: index, ciphertext)
  }

  /// Why chunk `index` failed: a final chunk before it means data was appended, a full final chunk
  /// that opens as a middle one means the file was cut at a chunk boundary; otherwise damage.
  private func diagnose(chunk index: Int64, _ ciphertext: UnsafeRawBufferPointer) throws -> AgeError {
    let sealed = AgeFormat.sealedChunkSize
    guard index == chunkCount - 1 else {
      return try payload.authenticates(chunk: index, last: true, ciphertext) ? .trailingData : .damaged(chunk: index)
    }
    if index > 0 {
      let previous = try readExactly(at: payloadStart + (index - 1) * Int64(sealed), count: sealed)
      if try previous.withUnsafeBytes({ try payload.authenticates(chunk: index - 1, last: true, $0) }) {
        return .trailingData
      }
    }
    if ciphertext.count == sealed, try payload.authenticates(chunk: index, last: false, ciphertext) {
      return .truncated
    }
    return ciphertext.count < AgeFormat.tagSize ? .truncated : .damaged(chunk: index)
  }

  private func readExactly(at offset: Int64, count: Int) throws -> [UInt8] {
    let bytes = try readCiphertext(offset, count)
    // Fewer bytes than the size promised: the file shrank since it was measured.
    guard bytes.count >= count else { throw AgeError.truncated }
    return bytes.count == count ? bytes : Array(bytes.prefix(count))
  }
}

@available(*, unavailable)
extension AgeRandomAccess: Sendable {}

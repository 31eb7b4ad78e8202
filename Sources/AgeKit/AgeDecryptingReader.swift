// AgeKit: sequential decryption of an age stream that cannot seek (standard input, a pipe).

/// Decrypts an age stream chunk by chunk.
///
/// Each chunk is authenticated before its plaintext is returned, but a stream can only be known
/// complete at its end: a caller must treat what it got as unconfirmed until `next()` has returned
/// the empty array (a stream cut short throws `AgeError.truncated` there). Use one reader from one
/// task at a time.
public final class AgeDecryptingReader {
  private let input: () throws -> [UInt8]
  private let payload: PayloadCipher
  private var pending: [UInt8]
  private var pendingStart = 0
  private var inputEnded = false
  private var chunkIndex: Int64 = 0
  private var finished = false

  /// Reads the header from `input`, unwraps the file key with the first identity that matches and
  /// checks the header MAC.
  ///
  /// `input` returns the next ciphertext bytes (any amount), or an empty array at the end.
  /// Throws `AgeError` for a stream that is not age, a malformed or altered header, or no matching
  /// identity; and whatever `input` throws.
  public init(identities: [AgeIdentity], input: @escaping () throws -> [UInt8]) throws {
    var bytes: [UInt8] = []
    var atEnd = false
    // Parsed again only once the bytes have doubled, so a trickling input costs no quadratic work.
    var wanted = 512
    var parsed: AgeHeader?
    while parsed == nil {
      while bytes.count < wanted && !atEnd {
        let more = try input()
        if more.isEmpty { atEnd = true } else { bytes += more }
      }
      parsed = try AgeHeader.parse(bytes, atEnd: atEnd)
      wanted = bytes.count * 2
    }
    let header = parsed!
    let fileKey = try FileKeyUnwrapper.fileKey(of: header, identities: identities)
    payload = try PayloadCipher(fileKey: fileKey, payloadNonce: header.payloadNonce)
    self.input = input
    pending = Array(bytes[header.length...])
    inputEnded = atEnd
  }

  /// The next plaintext bytes (at most one 64 KiB chunk), or an empty array at the end, which
  /// comes only after the final chunk was authenticated.
  ///
  /// Throws `AgeError.truncated` for a stream that ends without a final chunk, `.damaged(chunk:)`
  /// for a chunk that fails authentication and `.trailingData` for bytes after the final chunk.
  public func next() throws -> [UInt8] {
    guard !finished else { return [] }
    let sealed = AgeFormat.sealedChunkSize
    // A chunk is the final one only if nothing follows it, so look one byte past it.
    while pending.count - pendingStart <= sealed && !inputEnded {
      let more = try input()
      if more.isEmpty {
        inputEnded = true
      } else {
        if pendingStart > 0 {
          pending.removeFirst(pendingStart)
          pendingStart = 0
        }
        pending += more
      }
    }
    let available = pending.count - pendingStart
    let index = chunkIndex
    if available > sealed {
      let range = pendingStart..<(pendingStart + sealed)
      guard let plaintext = try open(range, chunk: index, last: false) else {
        let final = try pending.withUnsafeBytes {
          try payload.authenticates(chunk: index, last: true, UnsafeRawBufferPointer(rebasing: $0[range]))
        }
        throw final ? AgeError.trailingData : AgeError.damaged(chunk: index)
      }
      pendingStart += sealed
      chunkIndex += 1
      return plaintext
    }
    guard available >= AgeFormat.tagSize else { throw AgeError.truncated }
    // An empty final chunk is allowed only as the whole payload.
    guard available > AgeFormat.tagSize || index == 0 else { throw AgeError.damaged(chunk: index) }
    let range = pendingStart..<pending.count
    guard let plaintext = try open(range, chunk: index, last: true) else {
      let cut =
        try available == sealed
        && pending.withUnsafeBytes {
          try payload.authenticates(chunk: index, last: false, UnsafeRawBufferPointer(rebasing: $0[range]))
        }
      throw cut ? AgeError.truncated : AgeError.damaged(chunk: index)
    }
    finished = true
    pending = []
    pendingStart = 0
    return plaintext
  }

  /// The plaintext of the pending bytes in `range` as chunk `index`; nil when they fail
  /// authentication.
  private func open(_ range: Range<Int>, chunk index: Int64, last: Bool) throws -> [UInt8]? {
    var failed = false
    let plaintext = try [UInt8](unsafeUninitializedCapacity: range.count - AgeFormat.tagSize) { buffer, count in
      buffer.initialize(repeating: 0)
      count = buffer.count
      let opened = try pending.withUnsafeBytes {
        try payload.open(
          chunk: index, last: last, UnsafeRawBufferPointer(rebasing: $0[range]),
          into: UnsafeMutableRawBufferPointer(buffer))
      }
      failed = opened == nil
    }
    return failed ? nil : plaintext
  }
}

@available(*, unavailable)
extension AgeDecryptingReader: Sendable {}

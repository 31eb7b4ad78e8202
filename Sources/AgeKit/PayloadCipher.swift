// AgeKit: the STREAM construction of the age payload: one ChaCha20-Poly1305 key, a nonce per chunk.
import HashKit

/// Seals and opens payload chunks.
///
/// The key is HKDF(file key, salt: payload nonce, info: "payload"); chunk i is sealed under the
/// nonce of an 11-byte big-endian counter i followed by 1 for the final chunk, 0 otherwise, so
/// chunks cannot be reordered, dropped or cut short at a chunk boundary unnoticed.
final class PayloadCipher {
  private let cipher: ChaCha20Poly1305
  private var nonce = [UInt8](repeating: 0, count: ChaCha20Poly1305.nonceByteCount)

  /// The cipher of the payload that follows `payloadNonce` in a file whose file key is `fileKey`.
  init(fileKey: [UInt8], payloadNonce: [UInt8]) throws {
    let key = try HKDFSHA256.deriveKey(
      inputKeyMaterial: fileKey, salt: payloadNonce, info: "payload", byteCount: ChaCha20Poly1305.keyByteCount)
    cipher = try ChaCha20Poly1305(key: key)
  }

  /// Seals chunk `index` into `output` (room for the plaintext and a tag) and returns its length.
  func seal(
    chunk index: Int64, last: Bool, _ plaintext: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
  ) throws -> Int {
    setNonce(index: index, last: last)
    return try nonce.withUnsafeBytes { try cipher.seal(plaintext, nonce: $0, into: output) }
  }

  /// Opens chunk `index` into `output` and returns the plaintext length; nil when the chunk fails
  /// authentication as chunk `index` with that `last` flag (output is then zeroed).
  func open(
    chunk index: Int64, last: Bool, _ ciphertext: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
  ) throws -> Int? {
    setNonce(index: index, last: last)
    do {
      return try nonce.withUnsafeBytes { try cipher.open(ciphertext, nonce: $0, into: output) }
    } catch HashError.authenticationFailed {
      return nil
    }
  }

  /// Whether `ciphertext` authenticates as chunk `index` with the `last` flag, for telling a cut or
  /// extended file from a damaged one after a chunk failed.
  func authenticates(chunk index: Int64, last: Bool, _ ciphertext: UnsafeRawBufferPointer) throws -> Bool {
    guard ciphertext.count >= AgeFormat.tagSize else { return false }
    var scratch = [UInt8](repeating: 0, count: ciphertext.count - AgeFormat.tagSize)
    return try scratch.withUnsafeMutableBytes { try open(chunk: index, last: last, ciphertext, into: $0) } != nil
  }

  private func setNonce(index: Int64, last: Bool) {
    precondition(index >= 0, "a negative chunk index")
    var counter = UInt64(index)
    // Bytes 0...2 of the 11-byte counter stay zero: an Int64 index fits in the low eight.
    for position in stride(from: 10, through: 3, by: -1) {
      nonce[position] = UInt8(truncatingIfNeeded: counter)
      counter >>= 8
    }
    nonce[11] = last ? 1 : 0
  }
}

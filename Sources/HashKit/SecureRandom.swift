// HashKit: random bytes for keys, salts and nonces, from OpenSSL's CSPRNG.
internal import CCrypto

/// Cryptographically secure random bytes.
///
/// Wraps `RAND_bytes`, OpenSSL's DRBG seeded from the operating system, so that every key, salt and
/// nonce cellar makes comes from the same vetted generator as the rest of its cryptography.
public enum SecureRandom {
  /// Returns `count` random bytes.
  ///
  /// Throws `HashError` when OpenSSL's generator cannot be seeded.
  public static func bytes(_ count: Int) throws -> [UInt8] {
    precondition(count >= 0, "a negative byte count")
    guard count > 0 else { return [] }
    var output = [UInt8](repeating: 0, count: count)
    // RAND_bytes takes an Int32 count; a larger request is served in pieces.
    var start = 0
    while start < count {
      let piece = min(count - start, Int(Int32.max))
      let ok = output.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress! + start, Int32(piece)) }
      guard ok == 1 else { throw HashError.openSSL("RAND_bytes") }
      start += piece
    }
    return output
  }
}

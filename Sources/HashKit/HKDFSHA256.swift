// HashKit: HKDF-SHA256 (RFC 5869), the key derivation of every age key and MAC.
internal import CCrypto

/// HKDF with SHA-256: extract with a salt, then expand with an info string.
///
/// Wraps OpenSSL's "HKDF" `EVP_KDF` in its default extract-and-expand mode.
public enum HKDFSHA256 {
  /// Derives `byteCount` bytes from `inputKeyMaterial`, `salt` (may be empty) and `info`.
  ///
  /// An empty salt gives the RFC 5869 default, a zero salt of hash length. `byteCount` must be at
  /// most 255 × 32. Throws `HashError` when OpenSSL cannot provide HKDF or the derivation fails.
  public static func deriveKey(
    inputKeyMaterial: [UInt8], salt: [UInt8], info: [UInt8], byteCount: Int
  ) throws -> [UInt8] {
    let context = try KDFContext(algorithm: "HKDF")
    var output = [UInt8](repeating: 0, count: byteCount)
    // OpenSSL wants non-NULL pointers even for empty buffers.
    let key = inputKeyMaterial.isEmpty ? [0] : inputKeyMaterial
    let saltBytes = salt.isEmpty ? [0] : salt
    let infoBytes = info.isEmpty ? [0] : info
    let ok = key.withUnsafeBufferPointer { keyBuffer in
      saltBytes.withUnsafeBufferPointer { saltBuffer in
        infoBytes.withUnsafeBufferPointer { infoBuffer in
          output.withUnsafeMutableBufferPointer { out in
            CCrypto_hkdf_sha256_derive(
              context.handle, keyBuffer.baseAddress, inputKeyMaterial.count, saltBuffer.baseAddress,
              salt.count, infoBuffer.baseAddress, info.count, out.baseAddress, out.count)
          }
        }
      }
    }
    guard ok == 1 else { throw HashError.openSSL("EVP_KDF_derive(HKDF-SHA256)") }
    return output
  }

  /// Derives `byteCount` bytes with `info` given as text (age's labels, such as "payload").
  public static func deriveKey(
    inputKeyMaterial: [UInt8], salt: [UInt8], info: String, byteCount: Int
  ) throws -> [UInt8] {
    try deriveKey(inputKeyMaterial: inputKeyMaterial, salt: salt, info: Array(info.utf8), byteCount: byteCount)
  }
}

// HashKit: the scrypt password-based key derivation (RFC 7914), for age's passphrase recipients.
internal import CCrypto

/// scrypt with N = 2^logN.
///
/// Wraps OpenSSL's "SCRYPT" `EVP_KDF`. The memory limit is raised per call to what N and r need:
/// OpenSSL's default of 32 MiB is below age's usual work factor (2^18 needs 256 MiB).
public enum Scrypt {
  /// The largest logN accepted: 2^30 × 128 × r bytes is already far more memory than a machine has.
  public static let maximumLogN = 30

  /// Derives `byteCount` bytes from `password` and `salt` with N = 2^`logN`, `r` and `p`.
  ///
  /// Memory use is about 128 × r × 2^logN bytes (256 MiB for age's default of logN 18, r 8).
  /// Throws `HashError` when the parameters are out of range or memory cannot be had.
  public static func deriveKey(
    password: [UInt8], salt: [UInt8], logN: Int, r: Int = 8, p: Int = 1, byteCount: Int
  ) throws -> [UInt8] {
    guard (1...maximumLogN).contains(logN), (1...1024).contains(r), (1...1024).contains(p) else {
      throw HashError.openSSLFailure(
        function: "EVP_KDF_derive(SCRYPT)", reason: "parameters out of range (logN \(logN), r \(r), p \(p))")
    }
    let n = UInt64(1) << UInt64(logN)
    // OpenSSL's own accounting: 128·r·(N + 2) for V and the work area, 128·r·p for B; some slack.
    let memory = 128 * UInt64(r) * (n + 2) + 128 * UInt64(r) * UInt64(p) + 65536
    let context = try KDFContext(algorithm: "SCRYPT")
    var output = [UInt8](repeating: 0, count: byteCount)
    // OpenSSL wants non-NULL pointers even for empty buffers.
    let passwordBytes = password.isEmpty ? [0] : password
    let saltBytes = salt.isEmpty ? [0] : salt
    let ok = passwordBytes.withUnsafeBufferPointer { passwordBuffer in
      saltBytes.withUnsafeBufferPointer { saltBuffer in
        output.withUnsafeMutableBufferPointer { out in
          CCrypto_scrypt_derive(
            context.handle, passwordBuffer.baseAddress, password.count, saltBuffer.baseAddress, salt.count,
            n, UInt32(r), UInt32(p), memory, out.baseAddress, out.count)
        }
      }
    }
    guard ok == 1 else { throw HashError.openSSL("EVP_KDF_derive(SCRYPT)") }
    return output
  }
}

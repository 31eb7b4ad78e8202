// HashKit: an owned EVP_KDF_CTX, shared by the HKDF and scrypt derivations.
internal import CCrypto

/// An OpenSSL key-derivation context of one algorithm, freed in `deinit`.
final class KDFContext {
  /// The `EVP_KDF_CTX *`, valid for the life of this object.
  let handle: OpaquePointer
  private let tracker = HandleTracker.current

  /// A context of the KDF named `algorithm` ("HKDF", "SCRYPT").
  ///
  /// Wraps `EVP_KDF_fetch` and `EVP_KDF_CTX_new`.
  init(algorithm: String) throws {
    guard let kdf = EVP_KDF_fetch(nil, algorithm, nil) else { throw HashError.unavailable(algorithm) }
    // The context holds its own reference to the algorithm, so ours can go at once.
    defer { EVP_KDF_free(kdf) }
    guard let ctx = EVP_KDF_CTX_new(kdf) else { throw HashError.openSSL("EVP_KDF_CTX_new(\(algorithm))") }
    handle = ctx
    tracker?.didAllocate()
  }

  deinit {
    EVP_KDF_CTX_free(handle)
    tracker?.didFree()
  }
}

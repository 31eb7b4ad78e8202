// HashKit: an owned EVP_PKEY_CTX set up for key agreement (X25519's shared secret).
internal import CCrypto

/// An OpenSSL key-agreement context for one private key and one peer, freed in `deinit`.
final class PKeyDerivation {
  private let ctx: OpaquePointer  // EVP_PKEY_CTX *
  // The keys outlive the context that refers to them.
  private let key: PKey
  private let peer: PKey
  private let tracker = HandleTracker.current

  /// Prepares the agreement of `key` (a private key) with `peer` (a public key).
  ///
  /// Wraps `EVP_PKEY_CTX_new_from_pkey`, `EVP_PKEY_derive_init` and `EVP_PKEY_derive_set_peer`.
  init(key: PKey, peer: PKey) throws {
    guard let ctx = EVP_PKEY_CTX_new_from_pkey(nil, key.handle, nil) else {
      throw HashError.openSSL("EVP_PKEY_CTX_new_from_pkey")
    }
    self.ctx = ctx
    self.key = key
    self.peer = peer
    tracker?.didAllocate()
    // From here deinit frees ctx if a step throws.
    guard EVP_PKEY_derive_init(ctx) == 1 else { throw HashError.openSSL("EVP_PKEY_derive_init") }
    guard EVP_PKEY_derive_set_peer(ctx, peer.handle) == 1 else {
      throw HashError.openSSL("EVP_PKEY_derive_set_peer")
    }
  }

  deinit {
    EVP_PKEY_CTX_free(ctx)
    tracker?.didFree()
  }

  /// The shared secret.
  ///
  /// Wraps `EVP_PKEY_derive`, which refuses (and this throws) when the result would be all zeros.
  func derive() throws -> [UInt8] {
    var length = 0
    guard EVP_PKEY_derive(ctx, nil, &length) == 1 else { throw HashError.openSSL("EVP_PKEY_derive") }
    var output = [UInt8](repeating: 0, count: length)
    let ok = output.withUnsafeMutableBufferPointer { EVP_PKEY_derive(ctx, $0.baseAddress, &length) }
    guard ok == 1 else { throw HashError.openSSL("EVP_PKEY_derive") }
    return Array(output.prefix(length))
  }
}

// HashKit: an owned EVP_PKEY, for the raw X25519 keys X25519 works with.
internal import CCrypto

/// An OpenSSL `EVP_PKEY` built from raw key bytes, freed in `deinit`.
final class PKey {
  /// The `EVP_PKEY *`, valid for the life of this object.
  let handle: OpaquePointer
  private let tracker = HandleTracker.current

  /// A private key of algorithm `name` (such as "X25519") from its raw bytes.
  ///
  /// Wraps `EVP_PKEY_new_raw_private_key_ex`.
  init(rawPrivateKey bytes: [UInt8], algorithm name: String) throws {
    let key = bytes.withUnsafeBufferPointer {
      EVP_PKEY_new_raw_private_key_ex(nil, name, nil, $0.baseAddress, $0.count)
    }
    guard let key else { throw HashError.openSSL("EVP_PKEY_new_raw_private_key_ex(\(name))") }
    handle = key
    tracker?.didAllocate()
  }

  /// A public key of algorithm `name` from its raw bytes.
  ///
  /// Wraps `EVP_PKEY_new_raw_public_key_ex`.
  init(rawPublicKey bytes: [UInt8], algorithm name: String) throws {
    let key = bytes.withUnsafeBufferPointer {
      EVP_PKEY_new_raw_public_key_ex(nil, name, nil, $0.baseAddress, $0.count)
    }
    guard let key else { throw HashError.openSSL("EVP_PKEY_new_raw_public_key_ex(\(name))") }
    handle = key
    tracker?.didAllocate()
  }

  deinit {
    EVP_PKEY_free(handle)
    tracker?.didFree()
  }

  /// The raw public key (computed from the private key when this is one).
  ///
  /// Wraps `EVP_PKEY_get_raw_public_key`.
  func rawPublicKey() throws -> [UInt8] {
    var length = 0
    guard EVP_PKEY_get_raw_public_key(handle, nil, &length) == 1 else {
      throw HashError.openSSL("EVP_PKEY_get_raw_public_key")
    }
    var output = [UInt8](repeating: 0, count: length)
    let ok = output.withUnsafeMutableBufferPointer {
      EVP_PKEY_get_raw_public_key(handle, $0.baseAddress, &length)
    }
    guard ok == 1 else { throw HashError.openSSL("EVP_PKEY_get_raw_public_key") }
    return Array(output.prefix(length))
  }
}

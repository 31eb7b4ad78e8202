// HashKit: HMAC-SHA256, the keyed hash SigV4 chains to derive its signing key and signature.
internal import CCrypto

/// An incremental HMAC-SHA256 over OpenSSL's `EVP_MAC` interface.
///
/// A class that owns an `EVP_MAC_CTX`, freed in `deinit`; use one instance from one task at a time.
/// `finalize()` returns the MAC and starts a new message under the same key.
/// Wraps `EVP_MAC_update` and `EVP_MAC_final`.
public final class HMACSHA256: StreamingHash {
  /// The MAC length in bytes.
  public static let byteCount = 32

  private let ctx: OpaquePointer  // EVP_MAC_CTX *
  // Kept to restart after finalize(): OpenSSL 3.0's HMAC must be given the key again on re-init.
  private let key: [UInt8]
  private var needsReinit = false
  private let tracker = HandleTracker.current

  /// Starts an HMAC-SHA256 under `key` (any length, empty included).
  ///
  /// Throws `HashError` when
  /// OpenSSL cannot provide HMAC or SHA-256.
  /// Wraps `EVP_MAC_fetch`, `EVP_MAC_CTX_new` and `EVP_MAC_init`.
  public init(key: [UInt8]) throws {
    guard let mac = EVP_MAC_fetch(nil, "HMAC", nil) else { throw HashError.unavailable("HMAC") }
    // The context holds its own reference to the algorithm, so ours can go at once.
    defer { EVP_MAC_free(mac) }
    guard let ctx = EVP_MAC_CTX_new(mac) else { throw HashError.openSSL("EVP_MAC_CTX_new") }
    self.ctx = ctx
    self.key = key
    tracker?.didAllocate()
    // From here deinit frees ctx if start() throws.
    try start()
  }

  /// Starts an HMAC-SHA256 under the UTF-8 bytes of `key`.
  public convenience init(key: String) throws {
    try self.init(key: Array(key.utf8))
  }

  deinit {
    EVP_MAC_CTX_free(ctx)
    tracker?.didFree()
  }

  /// Feeds bytes into the MAC.
  ///
  /// Wraps `EVP_MAC_update`.
  public func update(_ bytes: UnsafeRawBufferPointer) throws {
    try restartIfNeeded()
    guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
    guard EVP_MAC_update(ctx, base.assumingMemoryBound(to: UInt8.self), bytes.count) == 1 else {
      throw HashError.openSSL("EVP_MAC_update(HMAC-SHA256)")
    }
  }

  /// Returns the MAC of everything fed so far and starts a new message under the same key.
  ///
  /// Wraps `EVP_MAC_final`.
  public func finalize() throws -> Digest {
    try restartIfNeeded()
    var output = [UInt8](repeating: 0, count: Self.byteCount)
    var length = 0
    let ok = output.withUnsafeMutableBufferPointer {
      EVP_MAC_final(ctx, $0.baseAddress, &length, $0.count)
    }
    guard ok == 1 else { throw HashError.openSSL("EVP_MAC_final(HMAC-SHA256)") }
    needsReinit = true
    return Digest(bytes: Array(output.prefix(length)))
  }

  /// Returns the HMAC-SHA256 of `message` under `key` in one call.
  public static func authenticationCode(for message: [UInt8], key: [UInt8]) throws -> Digest {
    let mac = try HMACSHA256(key: key)
    try mac.update(message)
    return try mac.finalize()
  }

  /// Returns the HMAC-SHA256 of the UTF-8 bytes of `message` under `key` in one call.
  public static func authenticationCode(for message: String, key: [UInt8]) throws -> Digest {
    let mac = try HMACSHA256(key: key)
    try mac.update(message)
    return try mac.finalize()
  }

  private func restartIfNeeded() throws {
    guard needsReinit else { return }
    try start()
    needsReinit = false
  }

  /// Sets the key and digest.
  ///
  /// Wraps `EVP_MAC_init` (through `CCrypto_mac_init_with_digest`).
  private func start() throws {
    // A zero-length key still needs a non-NULL pointer: with NULL, OpenSSL keeps the previous key
    // (or has none) instead of using the empty one.
    let storage = key.isEmpty ? [0] : key
    let ok = storage.withUnsafeBufferPointer {
      CCrypto_mac_init_with_digest(ctx, $0.baseAddress, key.count, "SHA256")
    }
    guard ok == 1 else { throw HashError.openSSL("EVP_MAC_init(HMAC-SHA256)") }
  }
}

@available(*, unavailable)
extension HMACSHA256: Sendable {}

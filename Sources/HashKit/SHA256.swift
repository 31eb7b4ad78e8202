// HashKit: SHA-256, for SigV4 payload hashes and content verification.

/// An incremental SHA-256 hash over OpenSSL.
///
/// A class, not a struct: it owns an OpenSSL context, so copies would share state. Use one
/// instance from one task at a time; `finalize()` returns the digest and starts a new message.
/// Wraps `EVP_DigestInit_ex`, `EVP_DigestUpdate` and `EVP_DigestFinal_ex`.
public final class SHA256: HashFunction {
  /// The digest length in bytes.
  public static let byteCount = 32

  private let context: DigestContext

  /// Starts a SHA-256 hash.
  ///
  /// Throws `HashError` when OpenSSL cannot provide SHA-256.
  /// Wraps `EVP_MD_fetch` and `EVP_DigestInit_ex`.
  public init() throws {
    context = try DigestContext(algorithm: "SHA256")
  }

  /// Feeds bytes into the hash.
  ///
  /// Wraps `EVP_DigestUpdate`.
  public func update(_ bytes: UnsafeRawBufferPointer) throws {
    try context.update(bytes)
  }

  /// Returns the SHA-256 of everything fed so far and starts a new message.
  ///
  /// Wraps `EVP_DigestFinal_ex`.
  public func finalize() throws -> Digest {
    Digest(bytes: try context.finalize())
  }
}

@available(*, unavailable)
extension SHA256: Sendable {}

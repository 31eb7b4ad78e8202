// HashKit: MD5, for Content-MD5 and the Cells content hash.

/// An incremental MD5 hash over OpenSSL (for checksums and the Cells hash, not for security).
///
/// A class, not a struct: it owns an OpenSSL context, so copies would share state. Use one
/// instance from one task at a time; `finalize()` returns the digest and starts a new message.
/// Wraps `EVP_DigestInit_ex`, `EVP_DigestUpdate` and `EVP_DigestFinal_ex`.
public final class MD5: HashFunction {
  /// The digest length in bytes.
  public static let byteCount = 16

  private let context: DigestContext

  /// Starts an MD5 hash.
  ///
  /// Throws `HashError` when OpenSSL cannot provide MD5.
  /// Wraps `EVP_MD_fetch` and `EVP_DigestInit_ex`.
  public init() throws {
    context = try DigestContext(algorithm: "MD5")
  }

  /// Feeds bytes into the hash.
  ///
  /// Wraps `EVP_DigestUpdate`.
  public func update(_ bytes: UnsafeRawBufferPointer) throws {
    try context.update(bytes)
  }

  /// Returns the MD5 of everything fed so far and starts a new message.
  ///
  /// Wraps `EVP_DigestFinal_ex`.
  public func finalize() throws -> Digest {
    Digest(bytes: try context.finalize())
  }
}

@available(*, unavailable)
extension MD5: Sendable {}

// HashKit: the owner of one OpenSSL message-digest context, shared by SHA256, MD5 and
// CellsContentHash.
internal import CCrypto

/// One OpenSSL digest computation: owns an `EVP_MD_CTX` and the fetched `EVP_MD`, frees both in
/// `deinit`.
///
/// `finalize()` leaves the context ready for a new message; the re-initialisation is deferred to
/// the next use so that `finalize()` can only fail in `EVP_DigestFinal_ex` itself.
final class DigestContext {
  /// The OpenSSL algorithm name, for error messages ("SHA256", "MD5").
  let algorithm: String
  /// The digest length in bytes.
  let outputSize: Int

  private let md: OpaquePointer  // EVP_MD *
  private let ctx: OpaquePointer  // EVP_MD_CTX *
  private var needsReinit = false
  private let tracker = HandleTracker.current

  /// Fetches `algorithm` and starts a digest.
  ///
  /// Throws `HashError` when OpenSSL cannot provide it.
  /// Wraps `EVP_MD_fetch`, `EVP_MD_CTX_new` and `EVP_DigestInit_ex`.
  init(algorithm: String) throws {
    // An explicit fetch (rather than EVP_sha256()) makes "algorithm not provided", e.g. MD5 under a
    // FIPS-only configuration, a distinct error at creation time.
    guard let md = EVP_MD_fetch(nil, algorithm, nil) else {
      throw HashError.unavailable(algorithm)
    }
    guard let ctx = EVP_MD_CTX_new() else {
      let error = HashError.openSSL("EVP_MD_CTX_new")
      EVP_MD_free(md)
      throw error
    }
    guard EVP_DigestInit_ex(ctx, md, nil) == 1 else {
      let error = HashError.openSSL("EVP_DigestInit_ex(\(algorithm))")
      EVP_MD_CTX_free(ctx)
      EVP_MD_free(md)
      throw error
    }
    self.algorithm = algorithm
    self.outputSize = Int(CCrypto_md_size(md))
    self.md = md
    self.ctx = ctx
    tracker?.didAllocate()
  }

  deinit {
    EVP_MD_CTX_free(ctx)
    EVP_MD_free(md)
    tracker?.didFree()
  }

  /// Feeds bytes into the digest.
  ///
  /// Wraps `EVP_DigestUpdate`.
  func update(_ bytes: UnsafeRawBufferPointer) throws {
    try reinitIfNeeded()
    guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
    guard EVP_DigestUpdate(ctx, base, bytes.count) == 1 else {
      throw HashError.openSSL("EVP_DigestUpdate(\(algorithm))")
    }
  }

  /// Returns the digest of everything fed since creation or the last `finalize()`, and starts a
  /// new message.
  ///
  /// Wraps `EVP_DigestFinal_ex`.
  func finalize() throws -> [UInt8] {
    try reinitIfNeeded()
    var output = [UInt8](repeating: 0, count: outputSize)
    var length: UInt32 = 0
    let ok = output.withUnsafeMutableBufferPointer {
      EVP_DigestFinal_ex(ctx, $0.baseAddress, &length)
    }
    guard ok == 1 else { throw HashError.openSSL("EVP_DigestFinal_ex(\(algorithm))") }
    needsReinit = true
    return Array(output.prefix(Int(length)))
  }

  /// Restarts the digest after a `finalize()`.
  ///
  /// Wraps `EVP_DigestInit_ex`.
  private func reinitIfNeeded() throws {
    guard needsReinit else { return }
    guard EVP_DigestInit_ex(ctx, md, nil) == 1 else {
      throw HashError.openSSL("EVP_DigestInit_ex(\(algorithm))")
    }
    needsReinit = false
  }
}

@available(*, unavailable)
extension DigestContext: Sendable {}

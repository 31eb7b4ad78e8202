// HashKit: the ChaCha20-Poly1305 AEAD (RFC 8439), for age's wrapped keys and 64 KiB payload chunks.
internal import CCrypto

/// ChaCha20-Poly1305 under one key, the nonce given per message.
///
/// A class that owns an `EVP_CIPHER_CTX`, freed in `deinit`; use one instance from one task at a
/// time. The key is set once and each `seal` or `open` only re-initialises the nonce, so encrypting
/// a stream of chunks costs no allocation beyond the output (none with the `into:` forms).
/// Wraps `EVP_CipherInit_ex2`, `EVP_CipherUpdate` and `EVP_CipherFinal_ex`.
public final class ChaCha20Poly1305 {
  /// The key length in bytes.
  public static let keyByteCount = 32
  /// The nonce length in bytes.
  public static let nonceByteCount = 12
  /// The length in bytes of the tag appended to each ciphertext.
  public static let tagByteCount = 16

  private let ctx: OpaquePointer  // EVP_CIPHER_CTX *
  private let tracker = HandleTracker.current

  /// Sets up the cipher under a 32-byte `key`.
  ///
  /// Throws `HashError` when the key has another length or OpenSSL cannot provide the cipher.
  /// Wraps `EVP_CIPHER_fetch`, `EVP_CIPHER_CTX_new` and `EVP_CipherInit_ex2`.
  public init(key: [UInt8]) throws {
    guard key.count == Self.keyByteCount else {
      throw HashError.openSSLFailure(
        function: "EVP_CipherInit_ex2(ChaCha20-Poly1305)", reason: "the key is not \(Self.keyByteCount) bytes")
    }
    guard let cipher = EVP_CIPHER_fetch(nil, "ChaCha20-Poly1305", nil) else {
      throw HashError.unavailable("ChaCha20-Poly1305")
    }
    // The context holds its own reference to the algorithm, so ours can go at once.
    defer { EVP_CIPHER_free(cipher) }
    guard let ctx = EVP_CIPHER_CTX_new() else { throw HashError.openSSL("EVP_CIPHER_CTX_new") }
    self.ctx = ctx
    tracker?.didAllocate()
    // From here deinit frees ctx if the key cannot be set.
    let ok = key.withUnsafeBufferPointer { EVP_CipherInit_ex2(ctx, cipher, $0.baseAddress, nil, 1, nil) }
    guard ok == 1 else { throw HashError.openSSL("EVP_CipherInit_ex2(ChaCha20-Poly1305)") }
  }

  deinit {
    EVP_CIPHER_CTX_free(ctx)
    tracker?.didFree()
  }

  /// Encrypts `plaintext` under `nonce` into `output`, ciphertext then tag, and returns the number
  /// of bytes written (the plaintext length plus 16).
  ///
  /// `output` must hold at least that many bytes and must not overlap `plaintext`; `authenticating`
  /// is additional data covered by the tag but not encrypted.
  public func seal(
    _ plaintext: UnsafeRawBufferPointer, nonce: UnsafeRawBufferPointer,
    authenticating additionalData: UnsafeRawBufferPointer? = nil, into output: UnsafeMutableRawBufferPointer
  ) throws -> Int {
    let total = plaintext.count + Self.tagByteCount
    precondition(output.count >= total, "the output buffer is too small")
    let out = output.baseAddress!.assumingMemoryBound(to: UInt8.self)
    try start(nonce: nonce, encrypting: true)
    try feed(additionalData, to: nil)
    try feed(plaintext, to: out)
    var finalLength: Int32 = 0
    guard EVP_CipherFinal_ex(ctx, out + plaintext.count, &finalLength) == 1 else {
      throw HashError.openSSL("EVP_CipherFinal_ex(ChaCha20-Poly1305)")
    }
    guard CCrypto_aead_get_tag(ctx, out + plaintext.count, Int32(Self.tagByteCount)) == 1 else {
      throw HashError.openSSL("EVP_CTRL_AEAD_GET_TAG(ChaCha20-Poly1305)")
    }
    return total
  }

  /// Checks and decrypts `ciphertext` (ciphertext then tag) under `nonce` into `output`, and returns
  /// the number of plaintext bytes written (the ciphertext length less 16).
  ///
  /// Throws `HashError.authenticationFailed` when the tag does not match (the wrong key or nonce,
  /// or changed data) or the input is shorter than a tag; `output` is then zeroed, so that no
  /// unauthenticated plaintext is left behind. `output` must not overlap `ciphertext`.
  public func open(
    _ ciphertext: UnsafeRawBufferPointer, nonce: UnsafeRawBufferPointer,
    authenticating additionalData: UnsafeRawBufferPointer? = nil, into output: UnsafeMutableRawBufferPointer
  ) throws -> Int {
    guard ciphertext.count >= Self.tagByteCount else { throw HashError.authenticationFailed }
    let length = ciphertext.count - Self.tagByteCount
    precondition(output.count >= length, "the output buffer is too small")
    let body = UnsafeRawBufferPointer(rebasing: ciphertext[0..<length])
    let tag = ciphertext.baseAddress!.assumingMemoryBound(to: UInt8.self) + length
    try start(nonce: nonce, encrypting: false)
    guard CCrypto_aead_set_tag(ctx, tag, Int32(Self.tagByteCount)) == 1 else {
      throw HashError.openSSL("EVP_CTRL_AEAD_SET_TAG(ChaCha20-Poly1305)")
    }
    let out = output.baseAddress?.assumingMemoryBound(to: UInt8.self)
    try feed(additionalData, to: nil)
    try feed(body, to: out)
    var finalLength: Int32 = 0
    // Final writes nothing for this stream cipher, but wants a pointer even when output is empty.
    let finished = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.tagByteCount) { scratch in
      EVP_CipherFinal_ex(ctx, out.map { $0 + length } ?? scratch.baseAddress!, &finalLength)
    }
    // Final compares the tags; a mismatch is the expected failure, not a library error.
    guard finished == 1 else {
      _ = HashError.drainOpenSSLErrors()
      if length > 0 { output.baseAddress!.initializeMemory(as: UInt8.self, repeating: 0, count: length) }
      throw HashError.authenticationFailed
    }
    return length
  }

  /// Returns `plaintext` encrypted under `nonce`, ciphertext then tag.
  public func seal(_ plaintext: [UInt8], nonce: [UInt8], authenticating additionalData: [UInt8] = []) throws
    -> [UInt8]
  {
    try [UInt8](unsafeUninitializedCapacity: plaintext.count + Self.tagByteCount) { buffer, count in
      count = 0
      count = try plaintext.withUnsafeBytes { input in
        try nonce.withUnsafeBytes { nonceBytes in
          try additionalData.withUnsafeBytes { aad in
            try seal(input, nonce: nonceBytes, authenticating: aad, into: UnsafeMutableRawBufferPointer(buffer))
          }
        }
      }
    }
  }

  /// Returns the plaintext of `ciphertext` (ciphertext then tag) under `nonce`.
  ///
  /// Throws `HashError.authenticationFailed` when the tag does not match.
  public func open(_ ciphertext: [UInt8], nonce: [UInt8], authenticating additionalData: [UInt8] = []) throws
    -> [UInt8]
  {
    let capacity = max(ciphertext.count - Self.tagByteCount, 0)
    return try [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
      // Zeroed first: the bytes count as initialised only once open succeeds.
      buffer.initialize(repeating: 0)
      count = 0
      count = try ciphertext.withUnsafeBytes { input in
        try nonce.withUnsafeBytes { nonceBytes in
          try additionalData.withUnsafeBytes { aad in
            try open(input, nonce: nonceBytes, authenticating: aad, into: UnsafeMutableRawBufferPointer(buffer))
          }
        }
      }
    }
  }

  /// Re-initialises the context for one message: same key, new nonce and direction.
  private func start(nonce: UnsafeRawBufferPointer, encrypting: Bool) throws {
    precondition(nonce.count == Self.nonceByteCount, "a ChaCha20-Poly1305 nonce is 12 bytes")
    let iv = nonce.baseAddress!.assumingMemoryBound(to: UInt8.self)
    guard EVP_CipherInit_ex2(ctx, nil, nil, iv, encrypting ? 1 : 0, nil) == 1 else {
      throw HashError.openSSL("EVP_CipherInit_ex2(ChaCha20-Poly1305 nonce)")
    }
  }

  /// Feeds `input` through the cipher into `output` (nil for additional data, which is only
  /// authenticated).
  private func feed(_ input: UnsafeRawBufferPointer?, to output: UnsafeMutablePointer<UInt8>?) throws {
    guard let input, let base = input.baseAddress, !input.isEmpty else { return }
    precondition(input.count <= Int(Int32.max), "a message over 2 GiB")
    var written: Int32 = 0
    let bytes = base.assumingMemoryBound(to: UInt8.self)
    guard EVP_CipherUpdate(ctx, output, &written, bytes, Int32(input.count)) == 1 else {
      throw HashError.openSSL("EVP_CipherUpdate(ChaCha20-Poly1305)")
    }
  }
}

@available(*, unavailable)
extension ChaCha20Poly1305: Sendable {}

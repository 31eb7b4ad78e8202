// HashKit: the shared shape of the streaming hashes, so callers can feed any of them the same bytes.

/// A hash computed incrementally: feed bytes with `update`, then read the result with `finalize()`.
///
/// Conforming types are classes that own a C handle and are used by one task at a time.
/// `finalize()` returns the result and starts a new message, so an instance can be reused.
public protocol StreamingHash: AnyObject {
  /// Feeds `bytes` into the hash.
  func update(_ bytes: UnsafeRawBufferPointer) throws
  /// Returns the hash of everything fed since creation or the previous `finalize()`, and starts a
  /// new message.
  func finalize() throws -> Digest
}

extension StreamingHash {
  /// Feeds the bytes of an array into the hash.
  public func update(_ bytes: [UInt8]) throws {
    try bytes.withUnsafeBytes { try update($0) }
  }

  /// Feeds the UTF-8 encoding of `string` into the hash.
  public func update(_ string: String) throws {
    var string = string
    // withUTF8 makes the storage contiguous UTF-8 (a no-op for native strings) without copying to
    // an array; it needs a mutable copy.
    try string.withUTF8 { try update(UnsafeRawBufferPointer($0)) }
  }
}

/// A keyless hash function that can be created with no arguments and offers one-shot helpers.
public protocol HashFunction: StreamingHash {
  /// Creates a hash over an empty message. Throws `HashError` when the library cannot provide it.
  init() throws
}

extension HashFunction {
  /// Returns the hash of `bytes` in one call.
  public static func hash(_ bytes: UnsafeRawBufferPointer) throws -> Digest {
    let hasher = try Self()
    try hasher.update(bytes)
    return try hasher.finalize()
  }

  /// Returns the hash of an array of bytes in one call.
  public static func hash(_ bytes: [UInt8]) throws -> Digest {
    try bytes.withUnsafeBytes { try hash($0) }
  }

  /// Returns the hash of the UTF-8 encoding of `string` in one call.
  public static func hash(_ string: String) throws -> Digest {
    let hasher = try Self()
    try hasher.update(string)
    return try hasher.finalize()
  }
}

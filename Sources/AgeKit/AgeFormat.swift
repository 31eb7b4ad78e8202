// AgeKit: the constants of the age v1 format that more than one reader or writer needs.

/// The fixed parts of the age v1 format.
public enum AgeFormat {
  /// The version line every age v1 file starts with, line feed included.
  public static let magic: [UInt8] = Array("age-encryption.org/v1\n".utf8)

  /// Whether `prefix` starts with the age v1 version line.
  public static func isAge(_ prefix: [UInt8]) -> Bool {
    prefix.starts(with: magic)
  }

  /// Plaintext bytes per payload chunk.
  static let chunkSize = 64 * 1024
  /// Ciphertext bytes per full payload chunk (plaintext and Poly1305 tag).
  static let sealedChunkSize = chunkSize + tagSize
  /// The Poly1305 tag closing each chunk.
  static let tagSize = 16
  /// The random nonce between the header and the payload.
  static let payloadNonceSize = 16
  /// The file key every stanza wraps.
  static let fileKeySize = 16
}

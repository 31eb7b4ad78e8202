// AgeKit: wrapping and unwrapping the file key for an X25519 recipient.
import HashKit

/// The X25519 recipient type of age v1.
///
/// The file key is encrypted under HKDF(X25519(ephemeral, recipient), salt: share || recipient)
/// with a fresh ephemeral key per stanza, so stanzas for the same recipient are unlinkable.
enum X25519Stanza {
  static let type = "X25519"
  private static let label = "age-encryption.org/v1/X25519"

  /// A stanza wrapping `fileKey` for `recipient`, a 32-byte public key.
  static func wrap(fileKey: [UInt8], recipient: [UInt8]) throws -> AgeStanza {
    guard recipient.count == X25519.keyByteCount else { throw AgeError.invalidRecipient(line: nil) }
    let ephemeral = try X25519.generatePrivateKey()
    let share = try X25519.publicKey(privateKey: ephemeral)
    let shared: [UInt8]
    do {
      shared = try X25519.sharedSecret(privateKey: ephemeral, peerPublicKey: recipient)
    } catch is HashError {
      // A small-order public key: no secret could be agreed with it.
      throw AgeError.invalidRecipient(line: nil)
    }
    let body = try wrapKey(shared: shared, share: share, recipient: recipient).seal(fileKey, nonce: zeroNonce)
    return AgeStanza(arguments: [type, AgeBase64.encodeString(share)], body: body)
  }

  /// The file key in `stanza` (an X25519 stanza) for the identity `secretKey`, or nil when the
  /// stanza is addressed to someone else.
  ///
  /// Throws `AgeError.malformedHeader` for a stanza that breaks the X25519 rules (argument count,
  /// share encoding, body length, a small-order share), as the spec requires.
  static func unwrap(_ stanza: AgeStanza, secretKey: [UInt8], publicKey: [UInt8]) throws -> [UInt8]? {
    guard stanza.arguments.count == 2, let share = AgeBase64.decode(stanza.arguments[1]),
      share.count == X25519.keyByteCount
    else { throw AgeError.malformedHeader("an X25519 stanza has a malformed ephemeral share") }
    // Checked before any decryption, against partitioning oracle attacks.
    guard stanza.body.count == AgeFormat.fileKeySize + AgeFormat.tagSize else {
      throw AgeError.malformedHeader("an X25519 stanza body is not 32 bytes")
    }
    let shared: [UInt8]
    do {
      shared = try X25519.sharedSecret(privateKey: secretKey, peerPublicKey: share)
    } catch is HashError {
      throw AgeError.malformedHeader("an X25519 stanza has an ephemeral share of small order")
    }
    do {
      return try wrapKey(shared: shared, share: share, recipient: publicKey).open(stanza.body, nonce: zeroNonce)
    } catch HashError.authenticationFailed {
      return nil
    }
  }

  private static var zeroNonce: [UInt8] { [UInt8](repeating: 0, count: ChaCha20Poly1305.nonceByteCount) }

  private static func wrapKey(shared: [UInt8], share: [UInt8], recipient: [UInt8]) throws -> ChaCha20Poly1305 {
    let key = try HKDFSHA256.deriveKey(
      inputKeyMaterial: shared, salt: share + recipient, info: label, byteCount: ChaCha20Poly1305.keyByteCount)
    return try ChaCha20Poly1305(key: key)
  }
}

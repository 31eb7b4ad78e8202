// HashKit: X25519 key agreement (RFC 7748) on raw 32-byte keys, for age's X25519 recipients.

/// X25519 Diffie-Hellman on raw 32-byte keys.
///
/// Keys stay plain byte arrays because age stores and transmits them raw (Bech32 or Base64);
/// each call builds the OpenSSL keys it needs and frees them before it returns.
public enum X25519 {
  /// The length in bytes of private keys, public keys and shared secrets.
  public static let keyByteCount = 32

  /// Returns a new random private key.
  ///
  /// Any 32 bytes are a valid X25519 private key: the scalar is clamped when it is used.
  public static func generatePrivateKey() throws -> [UInt8] {
    try SecureRandom.bytes(keyByteCount)
  }

  /// Returns the public key of `privateKey` (its product with the base point).
  ///
  /// Throws `HashError` when the key is not 32 bytes. Wraps `EVP_PKEY_new_raw_private_key_ex` and
  /// `EVP_PKEY_get_raw_public_key`.
  public static func publicKey(privateKey: [UInt8]) throws -> [UInt8] {
    try PKey(rawPrivateKey: privateKey, algorithm: "X25519").rawPublicKey()
  }

  /// Returns the shared secret of `privateKey` and `peerPublicKey`.
  ///
  /// Throws `HashError` when a key is not 32 bytes, and when the peer key is a point of small
  /// order: OpenSSL refuses the all-zero result such a key gives, as RFC 7748 §6.1 allows.
  /// Wraps `EVP_PKEY_derive`.
  public static func sharedSecret(privateKey: [UInt8], peerPublicKey: [UInt8]) throws -> [UInt8] {
    let key = try PKey(rawPrivateKey: privateKey, algorithm: "X25519")
    let peer = try PKey(rawPublicKey: peerPublicKey, algorithm: "X25519")
    let secret = try PKeyDerivation(key: key, peer: peer).derive()
    // Checked here too, so that no caller depends on the OpenSSL version refusing it.
    guard secret.contains(where: { $0 != 0 }) else {
      throw HashError.openSSLFailure(function: "EVP_PKEY_derive(X25519)", reason: "all-zero shared secret")
    }
    return secret
  }
}

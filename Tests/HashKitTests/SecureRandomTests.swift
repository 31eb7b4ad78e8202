// Tests for SecureRandom and for the freeing of the handles the ciphers and KDFs create.
import Testing

@testable import HashKit

@Suite struct SecureRandomTests {
  @Test func lengthsAndDistinctOutputs() throws {
    #expect(try SecureRandom.bytes(0) == [])
    #expect(try SecureRandom.bytes(1).count == 1)
    let first = try SecureRandom.bytes(32)
    let second = try SecureRandom.bytes(32)
    #expect(first.count == 32 && first != second)
  }

  @Test func cipherAndKDFHandlesAreFreed() throws {
    let tracker = HandleTracker()
    try HandleTracker.$current.withValue(tracker) {
      for _ in 0..<50 {
        let key = try X25519.generatePrivateKey()
        let peer = try X25519.publicKey(privateKey: X25519.generatePrivateKey())  // 1 PKey
        _ = try X25519.sharedSecret(privateKey: key, peerPublicKey: peer)  // 2 PKeys, 1 derivation
        _ = try HKDFSHA256.deriveKey(inputKeyMaterial: key, salt: [], info: "x", byteCount: 32)  // 1 KDF
        _ = try Scrypt.deriveKey(password: key, salt: [], logN: 2, byteCount: 32)  // 1 KDF
        let cipher = try ChaCha20Poly1305(key: key)  // 1 cipher
        _ = try? cipher.open([UInt8](repeating: 0, count: 20), nonce: [UInt8](repeating: 0, count: 12))
        #expect(tracker.live == 1)
      }
    }
    #expect(tracker.allocated == 50 * 7)
    #expect(tracker.live == 0)
  }
}

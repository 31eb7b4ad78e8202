// Tests for X25519 against RFC 7748 §6.1, and its refusal of small-order peer keys.
import Testing

@testable import HashKit

@Suite struct X25519Tests {
  static let alicePrivate = hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a")
  static let alicePublic = hex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a")
  static let bobPrivate = hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb")
  static let bobPublic = hex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f")
  static let shared = hex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742")

  @Test func rfc7748PublicKeys() throws {
    #expect(try X25519.publicKey(privateKey: Self.alicePrivate) == Self.alicePublic)
    #expect(try X25519.publicKey(privateKey: Self.bobPrivate) == Self.bobPublic)
  }

  @Test func rfc7748SharedSecretBothWays() throws {
    #expect(try X25519.sharedSecret(privateKey: Self.alicePrivate, peerPublicKey: Self.bobPublic) == Self.shared)
    #expect(try X25519.sharedSecret(privateKey: Self.bobPrivate, peerPublicKey: Self.alicePublic) == Self.shared)
  }

  @Test func generatedKeysAgree() throws {
    let first = try X25519.generatePrivateKey()
    let second = try X25519.generatePrivateKey()
    #expect(first.count == 32 && first != second)
    let one = try X25519.sharedSecret(privateKey: first, peerPublicKey: X25519.publicKey(privateKey: second))
    let other = try X25519.sharedSecret(privateKey: second, peerPublicKey: X25519.publicKey(privateKey: first))
    #expect(one == other)
  }

  @Test(arguments: [
    [UInt8](repeating: 0, count: 32),  // the identity point
    [1] + [UInt8](repeating: 0, count: 31),  // order 4
    hex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"),  // order 8
  ])
  func smallOrderPeerKeysAreRefused(peer: [UInt8]) {
    #expect(throws: HashError.self) {
      _ = try X25519.sharedSecret(privateKey: Self.alicePrivate, peerPublicKey: peer)
    }
  }

  @Test func wrongKeyLengthsAreRefused() {
    #expect(throws: HashError.self) { _ = try X25519.publicKey(privateKey: [1, 2, 3]) }
    #expect(throws: HashError.self) {
      _ = try X25519.sharedSecret(privateKey: Self.alicePrivate, peerPublicKey: [UInt8](repeating: 9, count: 31))
    }
  }
}

/// The bytes of a hex string written in a test.
func hex(_ text: String) -> [UInt8] {
  Digest(hex: text)!.bytes
}

// Tests for ChaCha20Poly1305 against RFC 8439 §2.8.2, its reuse across messages and its tag check.
import Testing

@testable import HashKit

@Suite struct ChaCha20Poly1305Tests {
  static let key = Array(UInt8(0x80)...UInt8(0x9f))
  static let nonce = hex("070000004041424344454647")
  static let aad = hex("50515253c0c1c2c3c4c5c6c7")
  static let plaintext = Array(
    ("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, "
      + "sunscreen would be it.").utf8)
  static let sealed = hex(
    "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b"
      + "1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
      + "3ff4def08e4b7a9de576d26586cec64b6116" + "1ae10b594f09e26a7e902ecbd0600691")

  @Test func rfc8439Seal() throws {
    let cipher = try ChaCha20Poly1305(key: Self.key)
    #expect(try cipher.seal(Self.plaintext, nonce: Self.nonce, authenticating: Self.aad) == Self.sealed)
  }

  @Test func rfc8439Open() throws {
    let cipher = try ChaCha20Poly1305(key: Self.key)
    #expect(try cipher.open(Self.sealed, nonce: Self.nonce, authenticating: Self.aad) == Self.plaintext)
  }

  @Test func emptyMessageIsATagAlone() throws {
    // Python cryptography: ChaCha20Poly1305(bytes(range(0x80, 0xa0))).encrypt(nonce, b"", None)
    let cipher = try ChaCha20Poly1305(key: Self.key)
    let sealed = try cipher.seal([], nonce: Self.nonce)
    #expect(sealed == hex("a0784d7a4716f3feb4f64e7f4b39bf04"))
    #expect(try cipher.open(sealed, nonce: Self.nonce) == [])
  }

  @Test func oneContextServesManyMessagesBothWays() throws {
    let cipher = try ChaCha20Poly1305(key: Self.key)
    var sealed: [[UInt8]] = []
    for counter in 0..<20 {
      var nonce = [UInt8](repeating: 0, count: 12)
      nonce[10] = UInt8(counter)
      sealed.append(try cipher.seal([UInt8](repeating: UInt8(counter), count: 1000 + counter), nonce: nonce))
      // Interleaved: an open between two seals must not disturb the next seal.
      #expect(
        try cipher.open(sealed[counter], nonce: nonce) == [UInt8](repeating: UInt8(counter), count: 1000 + counter))
    }
    #expect(Set(sealed.map { Array($0.suffix(16)) }).count == 20)
    #expect(try cipher.seal(Self.plaintext, nonce: Self.nonce, authenticating: Self.aad) == Self.sealed)
  }

  @Test func flippedBitsFailWithAuthenticationFailed() throws {
    let cipher = try ChaCha20Poly1305(key: Self.key)
    for index in [0, 57, Self.sealed.count - 1] {
      var damaged = Self.sealed
      damaged[index] ^= 0x04
      #expect(throws: HashError.authenticationFailed) {
        _ = try cipher.open(damaged, nonce: Self.nonce, authenticating: Self.aad)
      }
    }
    #expect(throws: HashError.authenticationFailed) {
      _ = try cipher.open(Self.sealed, nonce: Self.nonce, authenticating: [])
    }
    #expect(throws: HashError.authenticationFailed) { _ = try cipher.open([1, 2, 3], nonce: Self.nonce) }
    // The failures left nothing in OpenSSL's error queue, and the context still works.
    #expect(HashError.drainOpenSSLErrors() == "no error reported by OpenSSL")
    #expect(try cipher.open(Self.sealed, nonce: Self.nonce, authenticating: Self.aad) == Self.plaintext)
  }

  @Test func failedOpenZeroesTheOutput() throws {
    let cipher = try ChaCha20Poly1305(key: Self.key)
    var damaged = Self.sealed
    damaged[damaged.count - 1] ^= 1
    var output = [UInt8](repeating: 0xee, count: Self.plaintext.count)
    #expect(throws: HashError.authenticationFailed) {
      try damaged.withUnsafeBytes { input in
        try Self.nonce.withUnsafeBytes { nonce in
          try Self.aad.withUnsafeBytes { aad in
            try output.withUnsafeMutableBytes {
              _ = try cipher.open(input, nonce: nonce, authenticating: aad, into: $0)
            }
          }
        }
      }
    }
    #expect(output.allSatisfy { $0 == 0 })
  }

  @Test func wrongKeyLengthIsRefused() {
    #expect(throws: HashError.self) { _ = try ChaCha20Poly1305(key: [UInt8](repeating: 1, count: 16)) }
  }
}

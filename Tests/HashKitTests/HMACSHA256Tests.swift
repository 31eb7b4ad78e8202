// Tests for HMACSHA256 against RFC 4231 (test cases 1, 2, 6, 7).
import Testing

@testable import HashKit

@Suite struct HMACSHA256Tests {
  static let largeKey = [UInt8](repeating: 0xaa, count: 131)

  @Test func rfc4231Case1() throws {
    let mac = try HMACSHA256.authenticationCode(
      for: "Hi There", key: [UInt8](repeating: 0x0b, count: 20))
    #expect(mac.hex == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
  }

  @Test func rfc4231Case2KeyShorterThanOutput() throws {
    let mac = try HMACSHA256.authenticationCode(
      for: "what do ya want for nothing?", key: Array("Jefe".utf8))
    #expect(mac.hex == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
  }

  @Test func rfc4231Case6KeyLargerThanBlock() throws {
    let mac = try HMACSHA256.authenticationCode(
      for: "Test Using Larger Than Block-Size Key - Hash Key First", key: Self.largeKey)
    #expect(mac.hex == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
  }

  @Test func rfc4231Case7KeyAndDataLargerThanBlockFedInPieces() throws {
    let message =
      "This is a test using a larger than block-size key and a larger than block-size data. "
      + "The key needs to be hashed before being used by the HMAC algorithm."
    let mac = try HMACSHA256(key: Self.largeKey)
    try feed(Array(message.utf8), to: mac, chunkSizes: [1, 2, 5, 64, 13])
    #expect(
      try mac.finalize().hex == "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2")
  }

  @Test func emptyKeyAndMessage() throws {
    // Python: hmac.new(b"", b"", "sha256").hexdigest()
    let mac = try HMACSHA256.authenticationCode(for: "", key: [])
    #expect(mac.hex == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
  }

  @Test func finalizeRestartsUnderTheSameKey() throws {
    let mac = try HMACSHA256(key: "Jefe")
    try mac.update("what do ya want ")
    try mac.update("for nothing?")
    let first = try mac.finalize()
    try mac.update("what do ya want for nothing?")
    #expect(try mac.finalize() == first)
  }
}

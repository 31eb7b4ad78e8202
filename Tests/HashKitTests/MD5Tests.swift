// Tests for MD5 against the RFC 1321 test suite values and the usual long-message vector.
import Testing

@testable import HashKit

@Suite struct MD5Tests {
  @Test(arguments: [
    ("", "d41d8cd98f00b204e9800998ecf8427e"),
    ("abc", "900150983cd24fb0d6963f7d28e17f72"),
    (SHA256Tests.nist448, "8215ef0796a20bcaaae116d3876c664a"),
  ])
  func knownVectors(message: String, expected: String) throws {
    #expect(try MD5.hash(message).hex == expected)
  }

  @Test func oneMillionAFedInOddChunks() throws {
    let hash = try MD5()
    try feed([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000), to: hash)
    let digest = try hash.finalize()
    #expect(digest.hex == "7707d6ae4e027c70eea2a935c2296f21")
    #expect(digest.bytes.count == MD5.byteCount)
  }

  @Test func contentMD5HeaderIsBase64() throws {
    // Content-MD5 is the Base64 of the raw digest, not of its hex.
    #expect(try MD5.hash("").base64 == "1B2M2Y8AsgTpgAmY7PhCfg==")
  }
}

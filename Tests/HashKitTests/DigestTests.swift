// Tests for Digest's text forms.
import Testing

@testable import HashKit

@Suite struct DigestTests {
  @Test func hexAndBase64() {
    let digest = Digest(bytes: [0x00, 0x0f, 0xa0, 0xff])
    #expect(digest.hex == "000fa0ff")
    #expect(digest.description == "000fa0ff")
    #expect(digest.base64 == "AA+g/w==")
  }

  @Test func parsesHexOfEitherCase() {
    #expect(Digest(hex: "000FA0ff") == Digest(bytes: [0x00, 0x0f, 0xa0, 0xff]))
    #expect(Digest(hex: "") == Digest(bytes: []))
  }

  @Test(arguments: ["abc", "0g", "zz", " 00"])
  func rejectsNonHex(_ text: String) {
    #expect(Digest(hex: text) == nil)
  }
}

// Tests for HKDFSHA256 against RFC 5869 (test cases 1 and 3).
import Testing

@testable import HashKit

@Suite struct HKDFSHA256Tests {
  @Test func rfc5869Case1() throws {
    let okm = try HKDFSHA256.deriveKey(
      inputKeyMaterial: [UInt8](repeating: 0x0b, count: 22), salt: Array(0x00...0x0c),
      info: Array(0xf0...0xf9), byteCount: 42)
    #expect(okm == hex("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"))
  }

  @Test func rfc5869Case3EmptySaltAndInfo() throws {
    let okm = try HKDFSHA256.deriveKey(
      inputKeyMaterial: [UInt8](repeating: 0x0b, count: 22), salt: [], info: [UInt8](), byteCount: 42)
    #expect(okm == hex("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"))
  }

  @Test func textInfoIsItsUTF8() throws {
    let key = [UInt8](repeating: 7, count: 16)
    #expect(
      try HKDFSHA256.deriveKey(inputKeyMaterial: key, salt: [], info: "header", byteCount: 32)
        == HKDFSHA256.deriveKey(inputKeyMaterial: key, salt: [], info: Array("header".utf8), byteCount: 32))
  }
}

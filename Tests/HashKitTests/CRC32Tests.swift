// Tests for CRC32 against the standard check value.
import Testing

@testable import HashKit

@Suite struct CRC32Tests {
  @Test func checkValue() {
    let crc = CRC32.checksum("123456789")
    #expect(crc.value == 0xCBF4_3926)
    #expect(crc.bigEndianBytes == [0xCB, 0xF4, 0x39, 0x26])
    // x-amz-checksum-crc32 for the same input; Python: base64(zlib.crc32(...).to_bytes(4, "big")).
    #expect(crc.base64 == "y/Q5Jg==")
  }

  @Test func emptyInputIsZero() {
    #expect(CRC32().value == 0)
    #expect(CRC32.checksum([]).base64 == "AAAAAA==")
  }

  @Test func incrementalEqualsOneShot() {
    var crc = CRC32()
    for piece in ["1", "23", "456", "", "789"] { crc.update(piece) }
    #expect(crc == CRC32.checksum("123456789"))
  }
}

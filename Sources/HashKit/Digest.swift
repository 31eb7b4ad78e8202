// HashKit: the value every hash returns, with the text encodings HTTP headers need.
import Foundation

/// The output of a hash or MAC: raw bytes plus their lowercase-hex and Base64 spellings.
public struct Digest: Hashable, Sendable, CustomStringConvertible {
  /// The raw digest bytes.
  public let bytes: [UInt8]

  /// Wraps raw digest bytes.
  public init(bytes: [UInt8]) {
    self.bytes = bytes
  }

  /// Parses a hex string (either case), as found in `x-cells-hash` or `x-amz-content-sha256`;
  /// nil when it is not an even-length run of hex digits.
  public init?(hex: String) {
    let digits = Array(hex.utf8)
    guard digits.count % 2 == 0 else { return nil }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(digits.count / 2)
    var index = 0
    while index < digits.count {
      guard let high = Self.nibble(digits[index]), let low = Self.nibble(digits[index + 1]) else {
        return nil
      }
      bytes.append(high << 4 | low)
      index += 2
    }
    self.bytes = bytes
  }

  /// The digest in lowercase hexadecimal, the form AWS SigV4 and Cells use.
  public var hex: String {
    let digits = Array("0123456789abcdef".utf8)
    var text: [UInt8] = []
    text.reserveCapacity(bytes.count * 2)
    for byte in bytes {
      text.append(digits[Int(byte >> 4)])
      text.append(digits[Int(byte & 0x0f)])
    }
    return String(decoding: text, as: UTF8.self)
  }

  /// The digest in standard Base64 with padding, the form of `Content-MD5` and `x-amz-checksum-*`.
  public var base64: String {
    Data(bytes).base64EncodedString()
  }

  /// The lowercase hex form.
  public var description: String { hex }

  private static func nibble(_ character: UInt8) -> UInt8? {
    switch character {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
    default: nil
    }
  }
}

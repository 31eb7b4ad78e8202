// AgeKit: the unpadded, canonical Base64 of age headers (RFC 4648 §4 alphabet, no '=').

/// Base64 as age writes it: standard alphabet, no padding, and strict decoding.
///
/// Written here rather than taken from Foundation because Foundation pads, and accepts
/// non-canonical input (set bits past the end), which the age spec requires readers to reject:
/// a header must have exactly one spelling, or its MAC would not pin it.
enum AgeBase64 {
  private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

  /// The value of each ASCII byte, 0xff where it is not in the alphabet.
  private static let values: [UInt8] = {
    var table = [UInt8](repeating: 0xff, count: 256)
    for (index, character) in alphabet.enumerated() { table[Int(character)] = UInt8(index) }
    return table
  }()

  /// Whether `byte` is one of the 64 alphabet characters.
  static func isAlphabet(_ byte: UInt8) -> Bool {
    values[Int(byte)] != 0xff
  }

  /// The unpadded Base64 of `bytes`, as ASCII.
  static func encode(_ bytes: [UInt8]) -> [UInt8] {
    var output: [UInt8] = []
    output.reserveCapacity((bytes.count * 4 + 2) / 3)
    var index = 0
    while index < bytes.count {
      let remaining = bytes.count - index
      let first = UInt32(bytes[index])
      let second = remaining > 1 ? UInt32(bytes[index + 1]) : 0
      let third = remaining > 2 ? UInt32(bytes[index + 2]) : 0
      let group = first << 16 | second << 8 | third
      output.append(alphabet[Int(group >> 18 & 0x3f)])
      output.append(alphabet[Int(group >> 12 & 0x3f)])
      if remaining > 1 { output.append(alphabet[Int(group >> 6 & 0x3f)]) }
      if remaining > 2 { output.append(alphabet[Int(group & 0x3f)]) }
      index += 3
    }
    return output
  }

  /// The unpadded Base64 of `bytes`, as a string.
  static func encodeString(_ bytes: [UInt8]) -> String {
    String(decoding: encode(bytes), as: UTF8.self)
  }

  /// The bytes of canonical unpadded Base64 `text`; nil when it has a character outside the
  /// alphabet (padding included), an impossible length, or set bits after the last byte.
  static func decode<Text: Collection<UInt8>>(_ text: Text) -> [UInt8]? {
    guard text.count % 4 != 1 else { return nil }
    var output: [UInt8] = []
    output.reserveCapacity(text.count * 3 / 4)
    var accumulator: UInt32 = 0
    var bits = 0
    for character in text {
      let value = values[Int(character)]
      guard value != 0xff else { return nil }
      accumulator = accumulator << 6 | UInt32(value)
      bits += 6
      if bits >= 8 {
        bits -= 8
        output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
        accumulator &= (1 << UInt32(bits)) - 1
      }
    }
    // Canonical: the 2 or 4 bits left over must be zero.
    guard accumulator == 0 else { return nil }
    return output
  }

  /// Decodes an ASCII string.
  static func decode(_ text: String) -> [UInt8]? {
    decode(Array(text.utf8))
  }
}

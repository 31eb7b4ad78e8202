// AgeKit: Bech32 (BIP 173, without its length limit), the encoding of age keys.

/// Bech32 encoding and decoding of byte strings.
///
/// age spells its recipients "age1…" and its secret keys "AGE-SECRET-KEY-1…" in Bech32, whose
/// checksum catches typos in keys copied by hand. The 90-character limit of BIP 173 does not apply.
enum Bech32 {
  private static let charset = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)
  private static let generator: [UInt32] = [0x3b6a_57b2, 0x2650_8e6d, 0x1ea1_19fa, 0x3d42_33dd, 0x2a14_62b3]

  /// The value of each lowercase ASCII character, 0xff where it is not in the charset.
  private static let values: [UInt8] = {
    var table = [UInt8](repeating: 0xff, count: 256)
    for (index, character) in charset.enumerated() { table[Int(character)] = UInt8(index) }
    return table
  }()

  /// The lowercase Bech32 string of `data` under human-readable part `hrp` (lowercase ASCII).
  static func encode(hrp: String, data: [UInt8]) -> String {
    let hrpBytes = Array(hrp.lowercased().utf8)
    let values = regroup(data, from: 8, to: 5, pad: true)!
    let checksum = self.checksum(hrp: hrpBytes, values: values)
    let characters = hrpBytes + [UInt8(ascii: "1")] + (values + checksum).map { charset[Int($0)] }
    return String(decoding: characters, as: UTF8.self)
  }

  /// The human-readable part (in the case it was written) and data of `text`; nil when it is not
  /// valid Bech32: mixed case, a bad character, a bad checksum or bad padding.
  static func decode(_ text: String) -> (hrp: String, data: [UInt8])? {
    let bytes = Array(text.utf8)
    guard bytes.allSatisfy({ (33...126).contains($0) }) else { return nil }
    let hasLower = bytes.contains { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) }
    let hasUpper = bytes.contains { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }
    guard !(hasLower && hasUpper) else { return nil }
    guard let separator = bytes.lastIndex(of: UInt8(ascii: "1")), separator >= 1,
      bytes.count - separator - 1 >= 6
    else { return nil }
    let lowered = Array(text.lowercased().utf8)
    let hrp = Array(lowered[..<separator])
    var dataValues: [UInt8] = []
    for character in lowered[(separator + 1)...] {
      let value = values[Int(character)]
      guard value != 0xff else { return nil }
      dataValues.append(value)
    }
    guard polymod(expand(hrp) + dataValues) == 1 else { return nil }
    guard let data = regroup(Array(dataValues.dropLast(6)), from: 5, to: 8, pad: false) else { return nil }
    return (String(decoding: bytes[..<separator], as: UTF8.self), data)
  }

  private static func checksum(hrp: [UInt8], values: [UInt8]) -> [UInt8] {
    let mod = polymod(expand(hrp) + values + [0, 0, 0, 0, 0, 0]) ^ 1
    return (0..<6).map { UInt8(truncatingIfNeeded: mod >> UInt32(5 * (5 - $0)) & 31) }
  }

  private static func expand(_ hrp: [UInt8]) -> [UInt8] {
    hrp.map { $0 >> 5 } + [0] + hrp.map { $0 & 31 }
  }

  private static func polymod(_ values: [UInt8]) -> UInt32 {
    var check: UInt32 = 1
    for value in values {
      let top = check >> 25
      check = (check & 0x1ff_ffff) << 5 ^ UInt32(value)
      for index in 0..<5 where (top >> UInt32(index)) & 1 == 1 { check ^= generator[index] }
    }
    return check
  }

  /// Regroups bits from `from`-bit to `to`-bit values; without `pad`, leftover bits must be fewer
  /// than `from` and zero (nil otherwise).
  private static func regroup(_ input: [UInt8], from: Int, to: Int, pad: Bool) -> [UInt8]? {
    var accumulator: UInt32 = 0
    var bits = 0
    var output: [UInt8] = []
    let mask = UInt32(1 << to) - 1
    for value in input {
      accumulator = accumulator << UInt32(from) | UInt32(value)
      bits += from
      while bits >= to {
        bits -= to
        output.append(UInt8(accumulator >> UInt32(bits) & mask))
      }
      accumulator &= (1 << UInt32(bits)) - 1
    }
    if pad {
      if bits > 0 { output.append(UInt8(accumulator << UInt32(to - bits) & mask)) }
    } else if bits >= from || accumulator != 0 {
      return nil
    }
    return output
  }
}

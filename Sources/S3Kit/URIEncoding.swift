// S3Kit: the one percent-encoding SigV4 and S3 paths share, working on UTF-8 bytes.

/// RFC 3986 percent-encoding with the SigV4 rules, on bytes rather than `String`s so that no
/// Unicode normalisation can happen: an NFD key stays NFD, byte for byte.
enum URIEncoding {
  /// Percent-encodes every byte outside the unreserved set as %XX (uppercase hex).
  ///
  /// The unreserved set is A–Z a–z 0–9 and `-_.~`; "/" is kept when `keepSlash` is set (paths)
  /// and encoded otherwise (query).
  static func encode(_ bytes: some Sequence<UInt8>, keepSlash: Bool) -> String {
    var output: [UInt8] = []
    for byte in bytes {
      if isUnreserved(byte) || (keepSlash && byte == UInt8(ascii: "/")) {
        output.append(byte)
      } else {
        output.append(UInt8(ascii: "%"))
        output.append(hexDigits[Int(byte >> 4)])
        output.append(hexDigits[Int(byte & 0x0f)])
      }
    }
    return String(decoding: output, as: UTF8.self)
  }

  /// Percent-encodes the UTF-8 bytes of `text`.
  static func encode(_ text: String, keepSlash: Bool) -> String {
    encode(text.utf8, keepSlash: keepSlash)
  }

  /// Decodes %XX escapes into bytes; a "%" not followed by two hex digits stays literal.
  ///
  /// With
  /// `plusIsSpace` (query strings, as Go's `url.ParseQuery` in minio does) "+" becomes a space.
  static func decode(_ text: Substring, plusIsSpace: Bool) -> [UInt8] {
    let input = Array(text.utf8)
    var output: [UInt8] = []
    output.reserveCapacity(input.count)
    var index = 0
    while index < input.count {
      let byte = input[index]
      if byte == UInt8(ascii: "%"), index + 2 < input.count,
        let high = hexValue(input[index + 1]), let low = hexValue(input[index + 2])
      {
        output.append(high << 4 | low)
        index += 3
      } else {
        output.append(plusIsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
        index += 1
      }
    }
    return output
  }

  /// The SigV4 canonical URI of a path as sent on the wire: each segment decoded then re-encoded,
  /// "/" kept, no normalisation of "." or ".." or "//" (the S3 rule).
  ///
  /// Already-encoded input is therefore not encoded twice, and an unencoded character is encoded as a server would.
  static func canonicalPath(_ rawPath: String) -> String {
    if rawPath.isEmpty { return "/" }
    return rawPath.split(separator: "/", omittingEmptySubsequences: false)
      .map { encode(decode($0, plusIsSpace: false), keepSlash: false) }
      .joined(separator: "/")
  }

  /// The SigV4 canonical query string of a query as sent on the wire (without "?"): each name and
  /// value decoded, re-encoded with "/" encoded too, sorted by name then value, "name=" for an
  /// empty or absent value, joined with "&".
  static func canonicalQuery(_ rawQuery: String?) -> String {
    guard let rawQuery, !rawQuery.isEmpty else { return "" }
    return rawQuery.split(separator: "&")
      .map { pair -> (String, String) in
        let name = pair.prefix { $0 != "=" }
        let value = pair.dropFirst(name.count + 1)
        return (
          encode(decode(name, plusIsSpace: true), keepSlash: false),
          encode(decode(value, plusIsSpace: true), keepSlash: false)
        )
      }
      // The encoded forms are ASCII, so String order is byte order, as SigV4 requires.
      .sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
      .map { "\($0.0)=\($0.1)" }
      .joined(separator: "&")
  }

  private static let hexDigits = Array("0123456789ABCDEF".utf8)

  private static func isUnreserved(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
      UInt8(ascii: "."), UInt8(ascii: "~"):
      true
    default: false
    }
  }

  private static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
  }
}

// AgeKit: reading an age header from the first bytes of a file, which may not all be there yet.

extension AgeHeader {
  /// The longest header read: a bound on what a hostile file can make a reader buffer and unwrap.
  static let maximumLength = 1 << 20

  /// Parses the header at the start of `bytes`, with the payload nonce after it.
  ///
  /// Returns nil when `bytes` ends before the header and nonce do and more may come (`atEnd`
  /// false). Throws `AgeError.notAgeFile` as soon as the bytes cannot start an age file,
  /// `.truncated` when they end early and `atEnd`, and `.malformedHeader` for any departure from
  /// the v1 grammar.
  static func parse(_ bytes: [UInt8], atEnd: Bool) throws -> AgeHeader? {
    let prefix = Array("age-encryption.org/".utf8)
    let common = min(bytes.count, prefix.count)
    guard bytes[..<common].elementsEqual(prefix[..<common]) else { throw AgeError.notAgeFile }
    if atEnd && bytes.count < prefix.count { throw AgeError.notAgeFile }
    var parser = HeaderLines(bytes: bytes, atEnd: atEnd)
    guard let version = try parser.nextLine() else { return nil }
    guard version.elementsEqual(AgeFormat.magic.dropLast()) else { throw AgeError.unsupportedVersion }
    var stanzas: [AgeStanza] = []
    while true {
      let lineStart = parser.position
      guard let line = try parser.nextLine() else { return nil }
      if line.starts(with: Array("-> ".utf8)) {
        guard let stanza = try parseStanza(arguments: line.dropFirst(3), parser: &parser) else { return nil }
        stanzas.append(stanza)
      } else if line.starts(with: Array("---".utf8)) {
        let mac = try parseMAC(line)
        guard !stanzas.isEmpty else { throw AgeError.malformedHeader("it has no recipient stanza") }
        let end = parser.position + AgeFormat.payloadNonceSize
        guard end <= bytes.count else {
          if atEnd { throw AgeError.truncated }
          return nil
        }
        return AgeHeader(
          stanzas: stanzas, authenticatedBytes: Array(bytes[..<(lineStart + 3)]), mac: mac,
          payloadNonce: Array(bytes[parser.position..<end]), length: end)
      } else {
        throw AgeError.malformedHeader("a line is neither a stanza nor the MAC line")
      }
    }
  }

  /// Parses a stanza whose "-> " line held `arguments`, reading its body lines; nil when the
  /// bytes end first.
  private static func parseStanza(arguments: ArraySlice<UInt8>, parser: inout HeaderLines) throws -> AgeStanza? {
    let words = arguments.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
    // Arguments are runs of visible ASCII separated by single spaces.
    guard words.allSatisfy({ !$0.isEmpty && $0.allSatisfy { (0x21...0x7e).contains($0) } }) else {
      throw AgeError.malformedHeader("a stanza has an empty or non-printable argument")
    }
    var text: [UInt8] = []
    while true {
      guard let line = try parser.nextLine() else { return nil }
      guard line.count <= 64, line.allSatisfy(AgeBase64.isAlphabet) else {
        throw AgeError.malformedHeader("a stanza body line is not Base64 of at most 64 columns")
      }
      text += line
      if line.count < 64 { break }
    }
    guard let body = AgeBase64.decode(text) else {
      throw AgeError.malformedHeader("a stanza body is not canonical Base64")
    }
    return AgeStanza(arguments: words.map { String(decoding: $0, as: UTF8.self) }, body: body)
  }

  /// The 32-byte MAC of a "--- " line.
  private static func parseMAC(_ line: ArraySlice<UInt8>) throws -> [UInt8] {
    let text = line.dropFirst(4)
    guard line.count == 4 + 43, line[line.startIndex + 3] == UInt8(ascii: " "),
      let mac = AgeBase64.decode(text), mac.count == 32
    else { throw AgeError.malformedHeader("the MAC line is malformed") }
    return mac
  }
}

/// Splits header bytes into lines, telling "no line yet" from "no line ever".
private struct HeaderLines {
  let bytes: [UInt8]
  let atEnd: Bool
  /// Where the next line starts.
  private(set) var position = 0

  init(bytes: [UInt8], atEnd: Bool) {
    self.bytes = bytes
    self.atEnd = atEnd
  }

  /// The next line without its line feed; nil when it is not complete yet and more bytes may come.
  mutating func nextLine() throws -> ArraySlice<UInt8>? {
    guard let end = bytes[position...].firstIndex(of: UInt8(ascii: "\n")) else {
      if atEnd { throw AgeError.truncated }
      if bytes.count > AgeHeader.maximumLength {
        throw AgeError.malformedHeader("it is longer than \(AgeHeader.maximumLength / 1024) KiB")
      }
      return nil
    }
    guard end < AgeHeader.maximumLength else {
      throw AgeError.malformedHeader("it is longer than \(AgeHeader.maximumLength / 1024) KiB")
    }
    let line = bytes[position..<end]
    position = end + 1
    return line
  }
}

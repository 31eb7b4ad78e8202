// S3Kit: a strict, small XML reader for S3 answers, safe on hostile bytes.

/// Reads an XML document as a stream of element starts, ends and text.
///
/// It checks that the document is well formed: one root, every element closed by its own name,
/// text decoded (`&lt;` `&gt;` `&amp;` `&quot;` `&apos;`, `&#…;`, CDATA). Comments and processing instructions are passed over;
/// a DTD, an unknown entity, bytes that are not UTF-8 or anything else out of place is an error
/// naming its byte offset. Attributes are read over and not reported (S3 answers carry only
/// `xmlns`).
struct S3XMLScanner {
  /// What the scanner meets.
  enum Event {
    case start(String)
    case text(String)
    case end(String)
  }

  private let bytes: [UInt8]
  private var index = 0

  init(_ bytes: [UInt8]) {
    self.bytes = bytes
  }

  /// Hands every event to `event`, in order; throws at the first thing that is not well formed.
  mutating func scan(_ event: (Event) throws -> Void) throws {
    guard String(validating: bytes, as: UTF8.self) != nil else { throw failure("the answer is not UTF-8 text") }
    var open: [String] = []
    var sawRoot = false
    while index < bytes.count {
      if bytes[index] != UInt8(ascii: "<") {
        let text = try readText()
        if open.isEmpty {
          guard text.allSatisfy({ $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" }) else {
            throw failure("text outside the root element")
          }
        } else {
          try event(.text(text))
        }
      } else if starts(with: "<?") {
        try skip(past: "?>", what: "processing instruction")
      } else if starts(with: "<!--") {
        try skip(past: "-->", what: "comment")
      } else if starts(with: "<![CDATA[") {
        guard !open.isEmpty else { throw failure("CDATA outside the root element") }
        index += 9
        let start = index
        try skip(past: "]]>", what: "CDATA section")
        try event(.text(String(decoding: bytes[start..<(index - 3)], as: UTF8.self)))
      } else if starts(with: "<!") {
        throw failure("a document type declaration (DTD) is not accepted")
      } else if starts(with: "</") {
        index += 2
        let name = try readName()
        skipSpace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: ">") else { throw failure("an end tag is not closed") }
        index += 1
        guard open.last == name else { throw failure("</\(name)> closes \(open.last.map { "<\($0)>" } ?? "nothing")") }
        open.removeLast()
        try event(.end(name))
      } else {
        index += 1
        let name = try readName()
        guard open.count > 0 || !sawRoot else { throw failure("a second root element <\(name)>") }
        sawRoot = true
        let selfClosing = try readAttributes()
        try event(.start(name))
        if selfClosing {
          try event(.end(name))
        } else {
          open.append(name)
        }
      }
    }
    guard sawRoot else { throw failure("no root element") }
    guard open.isEmpty else { throw failure("<\(open.last!)> is not closed") }
  }

  // MARK: - Pieces

  private func failure(_ message: String) -> S3XMLDocument.XMLFailure {
    S3XMLDocument.XMLFailure(message: "\(message) (at byte \(index))")
  }

  private func starts(with prefix: String) -> Bool {
    bytes[index...].starts(with: prefix.utf8)
  }

  private mutating func skip(past end: String, what: String) throws {
    let terminator = Array(end.utf8)
    while index < bytes.count {
      if bytes[index...].starts(with: terminator) {
        index += terminator.count
        return
      }
      index += 1
    }
    throw failure("a \(what) is not closed")
  }

  private mutating func skipSpace() {
    while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
  }

  private static func isNameByte(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"),
      UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: ":"), 0x80...0xFF:
      true
    default: false
    }
  }

  private mutating func readName() throws -> String {
    let start = index
    while index < bytes.count, Self.isNameByte(bytes[index]) { index += 1 }
    guard index > start, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[start]),
      bytes[start] != UInt8(ascii: "-"), bytes[start] != UInt8(ascii: ".")
    else { throw failure("a tag without a valid name") }
    return String(decoding: bytes[start..<index], as: UTF8.self)
  }

  /// Reads the attributes to the end of a start tag; true when the tag closes itself (`/>`).
  private mutating func readAttributes() throws -> Bool {
    while true {
      let spaced = index < bytes.count && [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index])
      skipSpace()
      guard index < bytes.count else { throw failure("a start tag is not closed") }
      if bytes[index] == UInt8(ascii: ">") {
        index += 1
        return false
      }
      if starts(with: "/>") {
        index += 2
        return true
      }
      guard spaced else { throw failure("attributes must be separated by space") }
      _ = try readName()
      skipSpace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else {
        throw failure("an attribute without a value")
      }
      index += 1
      skipSpace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") else {
        throw failure("an attribute value is not quoted")
      }
      let quote = bytes[index]
      index += 1
      while index < bytes.count, bytes[index] != quote {
        guard bytes[index] != UInt8(ascii: "<") else { throw failure("'<' in an attribute value") }
        index += 1
      }
      guard index < bytes.count else { throw failure("an attribute value is not closed") }
      index += 1
    }
  }

  /// Text up to the next `<`, entities decoded.
  private mutating func readText() throws -> String {
    var text: [UInt8] = []
    while index < bytes.count, bytes[index] != UInt8(ascii: "<") {
      guard bytes[index] == UInt8(ascii: "&") else {
        text.append(bytes[index])
        index += 1
        continue
      }
      let start = index + 1
      guard let semicolon = bytes[start...].prefix(12).firstIndex(of: UInt8(ascii: ";")) else {
        throw failure("'&' that starts no entity")
      }
      let entity = String(decoding: bytes[start..<semicolon], as: UTF8.self)
      index = semicolon + 1
      switch entity {
      case "lt": text.append(UInt8(ascii: "<"))
      case "gt": text.append(UInt8(ascii: ">"))
      case "amp": text.append(UInt8(ascii: "&"))
      case "quot": text.append(UInt8(ascii: "\""))
      case "apos": text.append(UInt8(ascii: "'"))
      default:
        let hex = entity.hasPrefix("#x") || entity.hasPrefix("#X")
        let digits = entity.dropFirst(hex ? 2 : 1)
        guard entity.hasPrefix("#"), !digits.isEmpty, let value = UInt32(digits, radix: hex ? 16 : 10),
          let scalar = Unicode.Scalar(value), value != 0
        else { throw failure("the entity &\(entity); is not one of XML's") }
        text += Array(String(Character(scalar)).utf8)
      }
    }
    return String(decoding: text, as: UTF8.self)
  }
}

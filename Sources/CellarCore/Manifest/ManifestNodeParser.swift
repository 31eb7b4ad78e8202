// CellarCore: a manifest node's JSON read straight into a ManifestNode, without JSONDecoder.

/// Reads the JSON object of one manifest node, as `ManifestWriter` writes it, in one pass.
///
/// `JSONDecoder` was a tenth of a many-file restore's CPU (a manifest is read twice: surveyed,
/// then followed). This reader knows the node's fields and nothing else: for anything outside
/// them (an unknown key, a `null`, a fraction, bytes that are not UTF-8, a syntax error) it gives
/// nil and leaves the text to `JSONDecoder`, which then decides, and explains what is wrong.
struct ManifestNodeParser {
  private let bytes: [UInt8]
  private var index = 0

  /// The node `json` describes, or nil when the text is not one this reader is sure of.
  static func parse(_ json: [UInt8]) -> ManifestNode? {
    var parser = ManifestNodeParser(bytes: json)
    guard let node = parser.node(), parser.atEnd() else { return nil }
    return node
  }

  private init(bytes: [UInt8]) {
    self.bytes = bytes
  }

  private mutating func node() -> ManifestNode? {
    var path: String?
    var type: String?
    var uuid: String?
    var mtime: Int64?
    var metaStore: [String: String]?
    var node = ManifestNode(path: "", type: "", uuid: "", mtime: 0)
    let complete = object { key, parser in
      switch key {
      case "path": parser.read(into: &path) { $0.string() }
      case "type": parser.read(into: &type) { $0.string() }
      case "uuid": parser.read(into: &uuid) { $0.string() }
      case "mtime": parser.read(into: &mtime) { $0.integer() }
      case "metaStore": parser.read(into: &metaStore) { $0.stringMap() }
      case "size": parser.read(into: &node.size) { $0.integer() }
      case "etag": parser.read(into: &node.etag) { $0.string() }
      case "contentHash": parser.read(into: &node.contentHash) { $0.string() }
      case "sha256": parser.read(into: &node.sha256) { $0.string() }
      case "check": parser.read(into: &node.check) { $0.string() }
      case "wholeContentHash": parser.read(into: &node.wholeContentHash) { $0.string() }
      case "movedFrom": parser.read(into: &node.movedFrom) { $0.string() }
      case "offset": parser.read(into: &node.offset) { $0.integer() }
      case "userMeta": parser.read(into: &node.userMeta) { $0.array { $0.meta() } }
      case "versions": parser.read(into: &node.versions) { $0.array { $0.version() } }
      case "stored": parser.read(into: &node.stored) { $0.stored() }
      default: false
      }
    }
    guard complete, let path, let type, let uuid, let mtime, let metaStore else { return nil }
    node.path = path
    node.type = type
    node.uuid = uuid
    node.mtime = mtime
    node.metaStore = metaStore
    return node
  }

  private mutating func meta() -> ManifestNode.Meta? {
    var namespace: String?
    var jsonValue: String?
    let complete = object { key, parser in
      switch key {
      case "namespace": parser.read(into: &namespace) { $0.string() }
      case "jsonValue": parser.read(into: &jsonValue) { $0.string() }
      default: false
      }
    }
    guard complete, let namespace, let jsonValue else { return nil }
    return ManifestNode.Meta(namespace: namespace, jsonValue: jsonValue)
  }

  private mutating func version() -> ManifestNode.Version? {
    var versionId: String?
    var member: String?
    var size: Int64?
    var mtime: Int64?
    var version = ManifestNode.Version(versionId: "", member: "", size: 0, mtime: 0)
    let complete = object { key, parser in
      switch key {
      case "versionId": parser.read(into: &versionId) { $0.string() }
      case "member": parser.read(into: &member) { $0.string() }
      case "size": parser.read(into: &size) { $0.integer() }
      case "mtime": parser.read(into: &mtime) { $0.integer() }
      case "etag": parser.read(into: &version.etag) { $0.string() }
      case "sha256": parser.read(into: &version.sha256) { $0.string() }
      case "description": parser.read(into: &version.description) { $0.string() }
      case "offset": parser.read(into: &version.offset) { $0.integer() }
      default: false
      }
    }
    guard complete, let versionId, let member, let size, let mtime else { return nil }
    version.versionId = versionId
    version.member = member
    version.size = size
    version.mtime = mtime
    return version
  }

  private mutating func stored() -> ManifestNode.Stored? {
    var archive: String?
    var sha256: String?
    var member: String?
    let complete = object { key, parser in
      switch key {
      case "archive": parser.read(into: &archive) { $0.string() }
      case "sha256": parser.read(into: &sha256) { $0.string() }
      case "member": parser.read(into: &member) { $0.string() }
      default: false
      }
    }
    guard complete, let archive, let sha256, let member else { return nil }
    return ManifestNode.Stored(archive: archive, sha256: sha256, member: member)
  }

  private mutating func stringMap() -> [String: String]? {
    var map: [String: String] = [:]
    let complete = object { key, parser in
      // A key given twice is for JSONDecoder to judge (found by fuzzing: the two disagreed).
      guard map[key] == nil, let value = parser.string() else { return false }
      map[key] = value
      return true
    }
    return complete ? map : nil
  }

  // MARK: - JSON

  /// Reads an object, handing each key to `field` with the parser at its value; false when
  /// `field` does (an unknown key) or the object is not well formed.
  ///
  /// A field that fails to read its value leaves the parser where no `,` or `}` follows, so
  /// the object ends unread.
  private mutating func object(_ field: (String, inout ManifestNodeParser) -> Bool) -> Bool {
    guard take(UInt8(ascii: "{")) else { return false }
    if take(UInt8(ascii: "}")) { return true }
    repeat {
      guard let key = string(), take(UInt8(ascii: ":")), field(key, &self) else { return false }
    } while take(UInt8(ascii: ","))
    return take(UInt8(ascii: "}"))
  }

  private mutating func array<T>(_ element: (inout ManifestNodeParser) -> T?) -> [T]? {
    guard take(UInt8(ascii: "[")) else { return nil }
    var elements: [T] = []
    if take(UInt8(ascii: "]")) { return elements }
    repeat {
      guard let value = element(&self) else { return nil }
      elements.append(value)
    } while take(UInt8(ascii: ","))
    return take(UInt8(ascii: "]")) ? elements : nil
  }

  /// Reads a value with `value` into `target`; false when it is not one.
  ///
  /// False too when the field was already read: a key given twice is for JSONDecoder to judge
  /// (found by fuzzing, where the two disagreed on which copy counts).
  private mutating func read<T>(into target: inout T?, _ value: (inout ManifestNodeParser) -> T?) -> Bool {
    guard target == nil else { return false }
    target = value(&self)
    return target != nil
  }

  /// A whole number that fits in an Int64, without fraction or exponent.
  private mutating func integer() -> Int64? {
    skipSpace()
    let negative = index < bytes.count && bytes[index] == UInt8(ascii: "-")
    if negative { index += 1 }
    let start = index
    var value: Int64 = 0
    while index < bytes.count, case let digit = bytes[index] &- UInt8(ascii: "0"), digit < 10 {
      let (times, overflowTimes) = value.multipliedReportingOverflow(by: 10)
      let (sum, overflowSum) =
        negative ? times.subtractingReportingOverflow(Int64(digit)) : times.addingReportingOverflow(Int64(digit))
      guard !overflowTimes, !overflowSum else { return nil }
      value = sum
      index += 1
    }
    let digits = index - start
    guard digits > 0, digits == 1 || bytes[start] != UInt8(ascii: "0") else { return nil }
    if index < bytes.count, bytes[index] == UInt8(ascii: ".") || bytes[index] | 0x20 == UInt8(ascii: "e") {
      return nil
    }
    return value
  }

  /// A string, its escapes decoded; nil for bad escapes, control characters or bytes that are
  /// not UTF-8.
  private mutating func string() -> String? {
    guard take(UInt8(ascii: "\"")) else { return nil }
    let start = index
    // Most strings have no escape: validated and made in one go.
    while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\"),
      bytes[index] >= 0x20
    {
      index += 1
    }
    guard index < bytes.count else { return nil }
    if bytes[index] == UInt8(ascii: "\"") {
      defer { index += 1 }
      return String(validating: bytes[start..<index], as: UTF8.self)
    }
    var decoded = Array(bytes[start..<index])
    while index < bytes.count {
      let byte = bytes[index]
      index += 1
      switch byte {
      case UInt8(ascii: "\""):
        return String(validating: decoded, as: UTF8.self)
      case UInt8(ascii: "\\"):
        guard index < bytes.count else { return nil }
        let escape = bytes[index]
        index += 1
        switch escape {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(escape)
        case UInt8(ascii: "b"): decoded.append(0x08)
        case UInt8(ascii: "f"): decoded.append(0x0C)
        case UInt8(ascii: "n"): decoded.append(0x0A)
        case UInt8(ascii: "r"): decoded.append(0x0D)
        case UInt8(ascii: "t"): decoded.append(0x09)
        case UInt8(ascii: "u"):
          guard let scalar = unicodeEscape() else { return nil }
          decoded.append(contentsOf: String(Character(scalar)).utf8)
        default: return nil
        }
      case 0..<0x20: return nil
      default: decoded.append(byte)
      }
    }
    return nil
  }

  /// The scalar of a `\u` escape (the `\u` read), joining a surrogate pair.
  private mutating func unicodeEscape() -> Unicode.Scalar? {
    guard let high = hex4() else { return nil }
    if !(0xD800...0xDFFF).contains(high) { return Unicode.Scalar(high) }
    guard high < 0xDC00, take(UInt8(ascii: "\\"), skippingSpace: false), take(UInt8(ascii: "u"), skippingSpace: false),
      let low = hex4(), (0xDC00...0xDFFF).contains(low)
    else { return nil }
    return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
  }

  private mutating func hex4() -> UInt32? {
    guard index + 4 <= bytes.count else { return nil }
    var value: UInt32 = 0
    for byte in bytes[index..<index + 4] {
      guard let digit = Self.hexDigit(byte) else { return nil }
      value = value << 4 | digit
    }
    index += 4
    return value
  }

  private static func hexDigit(_ byte: UInt8) -> UInt32? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
    default: nil
    }
  }

  /// Steps over `byte` (after white space) when it is next.
  private mutating func take(_ byte: UInt8, skippingSpace: Bool = true) -> Bool {
    if skippingSpace { skipSpace() }
    guard index < bytes.count, bytes[index] == byte else { return false }
    index += 1
    return true
  }

  private mutating func skipSpace() {
    while index < bytes.count {
      switch bytes[index] {
      case 0x20, 0x09, 0x0A, 0x0D: index += 1
      default: return
      }
    }
  }

  private mutating func atEnd() -> Bool {
    skipSpace()
    return index == bytes.count
  }
}

// CellarCore: a manifest node written as JSON in one pass, without JSONEncoder.

/// Writes a manifest node as the JSON `ManifestLayout.encoder()` would, byte for byte: keys
/// sorted, nil fields left out, `/` not escaped, control characters escaped as JSONEncoder does.
///
/// `JSONEncoder` was a twentieth of a many-file backup's CPU, for one line per node.
struct ManifestNodeEncoder {
  private var bytes: [UInt8] = []

  /// The JSON object of `node`.
  static func encode(_ node: ManifestNode) -> [UInt8] {
    var encoder = ManifestNodeEncoder()
    encoder.bytes.reserveCapacity(320 + 2 * node.path.utf8.count)
    encoder.write(node)
    return encoder.bytes
  }

  // Fields in the order `.sortedKeys` gives them.
  private mutating func write(_ node: ManifestNode) {
    var first = true
    bytes.append(UInt8(ascii: "{"))
    if let check = node.check { string(check, key: "check", first: &first) }
    if let contentHash = node.contentHash { string(contentHash, key: "contentHash", first: &first) }
    if let etag = node.etag { string(etag, key: "etag", first: &first) }
    key("metaStore", first: &first)
    var firstMeta = true
    bytes.append(UInt8(ascii: "{"))
    for key in node.metaStore.keys.sorted() { string(node.metaStore[key]!, key: key, first: &firstMeta) }
    bytes.append(UInt8(ascii: "}"))
    if let movedFrom = node.movedFrom { string(movedFrom, key: "movedFrom", first: &first) }
    integer(node.mtime, key: "mtime", first: &first)
    if let offset = node.offset { integer(offset, key: "offset", first: &first) }
    string(node.path, key: "path", first: &first)
    if let sha256 = node.sha256 { string(sha256, key: "sha256", first: &first) }
    if let size = node.size { integer(size, key: "size", first: &first) }
    if let stored = node.stored {
      key("stored", first: &first)
      var firstStored = true
      bytes.append(UInt8(ascii: "{"))
      string(stored.archive, key: "archive", first: &firstStored)
      string(stored.member, key: "member", first: &firstStored)
      string(stored.sha256, key: "sha256", first: &firstStored)
      bytes.append(UInt8(ascii: "}"))
    }
    string(node.type, key: "type", first: &first)
    if let userMeta = node.userMeta {
      array(userMeta, key: "userMeta", first: &first) { encoder, meta in
        var first = true
        encoder.string(meta.jsonValue, key: "jsonValue", first: &first)
        encoder.string(meta.namespace, key: "namespace", first: &first)
      }
    }
    string(node.uuid, key: "uuid", first: &first)
    if let versions = node.versions {
      array(versions, key: "versions", first: &first) { encoder, version in
        var first = true
        if let description = version.description { encoder.string(description, key: "description", first: &first) }
        if let etag = version.etag { encoder.string(etag, key: "etag", first: &first) }
        encoder.string(version.member, key: "member", first: &first)
        encoder.integer(version.mtime, key: "mtime", first: &first)
        if let offset = version.offset { encoder.integer(offset, key: "offset", first: &first) }
        if let sha256 = version.sha256 { encoder.string(sha256, key: "sha256", first: &first) }
        encoder.integer(version.size, key: "size", first: &first)
        encoder.string(version.versionId, key: "versionId", first: &first)
      }
    }
    if let whole = node.wholeContentHash { string(whole, key: "wholeContentHash", first: &first) }
    bytes.append(UInt8(ascii: "}"))
  }

  /// An array of objects, each written by `fields` between its braces.
  private mutating func array<T>(
    _ elements: [T], key name: String, first: inout Bool, fields: (inout ManifestNodeEncoder, T) -> Void
  ) {
    key(name, first: &first)
    bytes.append(UInt8(ascii: "["))
    for (index, element) in elements.enumerated() {
      if index > 0 { bytes.append(UInt8(ascii: ",")) }
      bytes.append(UInt8(ascii: "{"))
      fields(&self, element)
      bytes.append(UInt8(ascii: "}"))
    }
    bytes.append(UInt8(ascii: "]"))
  }

  private mutating func key(_ name: String, first: inout Bool) {
    if !first { bytes.append(UInt8(ascii: ",")) }
    first = false
    quoted(name)
    bytes.append(UInt8(ascii: ":"))
  }

  private mutating func string(_ value: String, key name: String, first: inout Bool) {
    key(name, first: &first)
    quoted(value)
  }

  private mutating func integer(_ value: Int64, key name: String, first: inout Bool) {
    key(name, first: &first)
    bytes.append(contentsOf: String(value).utf8)
  }

  private mutating func quoted(_ text: String) {
    bytes.append(UInt8(ascii: "\""))
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
      case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
      case 0x08: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
      case 0x0C: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
      case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
      case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
      case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
      case 0..<0x20:
        bytes.append(contentsOf: Array("\\u00".utf8))
        bytes.append(Self.hexDigits[Int(byte >> 4)])
        bytes.append(Self.hexDigits[Int(byte & 0xF)])
      default: bytes.append(byte)
      }
    }
    bytes.append(UInt8(ascii: "\""))
  }

  private static let hexDigits = Array("0123456789abcdef".utf8)
}

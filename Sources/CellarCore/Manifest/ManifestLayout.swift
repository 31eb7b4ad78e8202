// CellarCore: how cellar lays a manifest out on disk, so that it can be written and read back as
// a stream (one node per line) while staying one ordinary JSON document for every other tool.
import Foundation

/// The line layout of a manifest written by cellar.
///
/// ```
/// {"cellarManifest":1,…,"startedAt":"…",     header fields, one line
/// "nodes":[
/// {…node…},                                  one node per line
/// {…node…}
/// ],
/// "errors":[…],"finishedAt":"…",…            trailer fields, one line
/// }                                           (sidecar: ,"archive":{…}} on one more line)
/// ```
///
/// Keys are sorted, so the same backup always gives the same bytes.
enum ManifestLayout {
  static let nodesOpening = "\"nodes\":["
  static let nodesClosing = "],"

  static func encoder() -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return encoder
  }

  /// `value` encoded as an object's fields, without the braces: `"a":1,"b":2`.
  static func fields(of value: some Encodable, encoder: JSONEncoder) throws -> [UInt8] {
    let object = Array(try encoder.encode(value))
    guard object.count >= 2, object.first == UInt8(ascii: "{"), object.last == UInt8(ascii: "}") else {
      preconditionFailure("manifest parts encode as JSON objects")
    }
    return Array(object.dropFirst().dropLast())
  }
}

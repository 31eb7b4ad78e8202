// CellsSandbox: the JSON written by the REST side, built in order so responses are deterministic.
import Foundation

/// A JSON document to send.
///
/// Objects keep their key order, which makes responses stable and readable; `object` drops nothing
/// by itself: callers leave zero values out (docs/cells-protocol.md, "Wire format").
public indirect enum JSONValue: Sendable, Equatable {
  case string(String)
  case number(Int64)
  case bool(Bool)
  case array([JSONValue])
  case object([(String, JSONValue)])
  case null

  /// Equal when both serialize to the same text (key order included).
  public static func == (a: JSONValue, b: JSONValue) -> Bool { a.serialized == b.serialized }

  /// The compact JSON text.
  public var serialized: String {
    var out = ""
    write(into: &out)
    return out
  }

  private func write(into out: inout String) {
    switch self {
    case .string(let s): Self.quote(s, into: &out)
    case .number(let n): out += String(n)
    case .bool(let b): out += b ? "true" : "false"
    case .null: out += "null"
    case .array(let items):
      out += "["
      for (i, item) in items.enumerated() {
        if i > 0 { out += "," }
        item.write(into: &out)
      }
      out += "]"
    case .object(let fields):
      out += "{"
      for (i, (key, value)) in fields.enumerated() {
        if i > 0 { out += "," }
        Self.quote(key, into: &out)
        out += ":"
        value.write(into: &out)
      }
      out += "}"
    }
  }

  /// Writes `s` as a JSON string literal; the scalars are kept as they are (no normalisation), so
  /// NFC and NFD names stay distinct on the wire.
  static func quote(_ s: String, into out: inout String) {
    out += "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if scalar.value < 0x20 {
          out += String(format: "\\u%04x", scalar.value)
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    out += "\""
  }

  /// A JSON string literal of `s`, the form MetaStore values take (`"\"name\""`).
  public static func quoted(_ s: String) -> String {
    var out = ""
    quote(s, into: &out)
    return out
  }
}

/// Builds a JSON object field by field, leaving out zero values as protobuf-JSON does.
struct JSONObjectBuilder {
  private(set) var fields: [(String, JSONValue)] = []

  mutating func string(_ key: String, _ value: String?) {
    if let value, !value.isEmpty { fields.append((key, .string(value))) }
  }
  /// int64/uint64 go out as JSON strings (docs/cells-protocol.md, "Wire format").
  mutating func int64(_ key: String, _ value: Int64?) {
    if let value, value != 0 { fields.append((key, .string(String(value)))) }
  }
  /// int32 stays a JSON number.
  mutating func int32(_ key: String, _ value: Int?) {
    if let value, value != 0 { fields.append((key, .number(Int64(value)))) }
  }
  mutating func bool(_ key: String, _ value: Bool) {
    if value { fields.append((key, .bool(true))) }
  }
  mutating func array(_ key: String, _ values: [JSONValue]) {
    if !values.isEmpty { fields.append((key, .array(values))) }
  }
  mutating func map(_ key: String, _ values: [(String, String)]) {
    if !values.isEmpty { fields.append((key, .object(values.map { ($0.0, .string($0.1)) }))) }
  }
  mutating func value(_ key: String, _ value: JSONValue) {
    fields.append((key, value))
  }

  var object: JSONValue { .object(fields) }
}

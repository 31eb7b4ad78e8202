// CellsKit: int64 fields travel as JSON strings in Cells' protobuf JSON ("Size": "1024"), but
// a server may also send numbers; both decode.

/// An int64 that decodes from a JSON string or number and encodes as a string, as protojson does.
struct WireInt64: Codable, Sendable, Equatable {
  var value: Int64

  init(_ value: Int64) { self.value = value }

  init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if let number = try? container.decode(Int64.self) {
      value = number
    } else {
      let text = try container.decode(String.self)
      guard let number = Int64(text) else {
        throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an int64: \(text)")
      }
      value = number
    }
  }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(String(value))
  }
}

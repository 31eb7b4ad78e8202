// CellarCore: where two copies of a manifest part ways, in terms a user can look up.
import Foundation

/// The line of a manifest file at a byte offset, and the node written on it.
struct ManifestDifference: Sendable, Equatable {
  /// The 1-based line.
  var line: Int
  /// The path of the node on that line, when the line is a readable node.
  var path: String?

  /// The line of `file` that holds byte `offset`, read from the start (an error path only).
  static func locate(in file: String, at offset: Int64) -> ManifestDifference {
    guard let handle = try? PlainFileReader(path: file, name: file) else { return ManifestDifference(line: 1) }
    var line = 1
    var read: Int64 = 0
    var current: [UInt8] = []
    while let data = try? handle.read(upTo: 1 << 16), !data.isEmpty {
      for byte in data {
        if byte == UInt8(ascii: "\n") {
          if read >= offset { return ManifestDifference(line: line, path: nodePath(current)) }
          line += 1
          current.removeAll(keepingCapacity: true)
        } else {
          current.append(byte)
        }
        read += 1
      }
    }
    return ManifestDifference(line: line, path: nodePath(current))
  }

  init(line: Int, path: String? = nil) {
    self.line = line
    self.path = path
  }

  private static func nodePath(_ line: [UInt8]) -> String? {
    var bytes = line
    if bytes.last == UInt8(ascii: ",") { bytes.removeLast() }
    return (try? JSONDecoder().decode(ManifestNode.self, from: Data(bytes)))?.path
  }

  /// "line N (node PATH)".
  var place: String { "line \(line)\(path.map { " (node \($0))" } ?? "")" }
}

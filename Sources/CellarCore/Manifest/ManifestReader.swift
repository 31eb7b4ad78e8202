// CellarCore: reads a manifest back as a stream: header, then one node at a time, then trailer.
import AgeKit
import Foundation

/// Reads a manifest written in `ManifestLayout` one node at a time, so that memory does not grow
/// with the number of nodes.
///
/// A manifest in another layout (pretty-printed by hand, say) is still accepted: it is then
/// decoded whole. Call `header()`, then `nextNode()` until nil, then `trailer()`.
public final class ManifestReader {
  private struct Document: Decodable {
    var header: ManifestHeader
    var nodes: [ManifestNode]
    var trailer: ManifestTrailer

    init(from decoder: any Decoder) throws {
      header = try ManifestHeader(from: decoder)
      struct Nodes: Decodable { var nodes: [ManifestNode] }
      nodes = try Nodes(from: decoder).nodes
      trailer = try ManifestTrailer(from: decoder)
    }
  }

  private let source: String
  private let nextChunk: () throws -> [UInt8]?
  private var buffer: [UInt8] = []
  private var position = 0
  private var atEnd = false
  private var lineNumber = 0
  private let decoder = JSONDecoder()
  private var parsedHeader: ManifestHeader?
  private var nodesDone = false
  // Set when the document is not in cellar's layout and had to be decoded whole.
  private var whole: Document?
  private var wholeIndex = 0
  // Bytes dropped from the front of `buffer` so far, and where the last line read began.
  private var discarded: Int64 = 0
  private var lineStart: Int64 = 0
  /// The byte offset in the file of the line of the last node `nextNode()` returned; nil when
  /// the document is not in cellar's layout (it was decoded whole).
  private(set) var lastNodeOffset: Int64?

  /// A reader of bytes from `nextChunk` (nil at the end); `source` names them in errors.
  public init(source: String, nextChunk: @escaping () throws -> [UInt8]?) {
    self.source = source
    self.nextChunk = nextChunk
  }

  /// A reader of the file at `path` (a sidecar), called `name` in messages (the path itself
  /// when nil).
  ///
  /// A sidecar encrypted with age is decrypted as it is read, with the command's identities
  /// (`Keyring`).
  public convenience init(path: String, name: String? = nil) throws {
    let source = name ?? path
    guard FileManager.default.isReadableFile(atPath: path) else {
      throw ManifestError.unreadable(source: source, message: "no such file or not readable")
    }
    let file: PlainFileReader
    do {
      file = try PlainFileReader(path: path, name: source)
    } catch let error as AgeError {
      throw ManifestError.unreadable(source: source, message: error.localizedDescription)
    }
    self.init(source: source) {
      do {
        let chunk = try file.read(upTo: 1 << 16)
        return chunk.isEmpty ? nil : chunk
      } catch let error as AgeError {
        throw ManifestError.unreadable(source: source, message: error.localizedDescription)
      } catch CellarError.failed(let message) {
        throw ManifestError.unreadable(source: source, message: message)
      }
    }
  }

  /// The header; read first.
  public func header() throws -> ManifestHeader {
    if let parsedHeader { return parsedHeader }
    guard let first = try nextLine() else { throw malformed("the file is empty") }
    let header: ManifestHeader
    // Keys are sorted: an incremental's header starts with "base", others with "cellarManifest".
    if first.first == UInt8(ascii: "{"), first.count > 1, first.last == UInt8(ascii: ","),
      let opening = try nextLine(), opening.elementsEqual(ManifestLayout.nodesOpening.utf8)
    {
      header = try decode(ManifestHeader.self, Array(first.dropLast()) + [UInt8(ascii: "}")])
    } else {
      let document = try decode(Document.self, first + [UInt8(ascii: "\n")] + readRest())
      whole = document
      header = document.header
    }
    guard header.cellarManifest == ManifestHeader.currentFormat else {
      throw ManifestError.unsupportedVersion(source: source, version: header.cellarManifest)
    }
    parsedHeader = header
    return header
  }

  /// The next node, or nil after the last one.
  public func nextNode() throws -> ManifestNode? {
    _ = try header()
    if let whole {
      defer { wholeIndex += 1 }
      return wholeIndex < whole.nodes.count ? whole.nodes[wholeIndex] : nil
    }
    guard !nodesDone else { return nil }
    guard var line = try nextLine() else { throw malformed("the node list is cut short") }
    if line.elementsEqual(ManifestLayout.nodesClosing.utf8) {
      nodesDone = true
      return nil
    }
    if line.last == UInt8(ascii: ",") { line.removeLast() }
    lastNodeOffset = lineStart
    return try ManifestNodeParser.parse(line) ?? decode(ManifestNode.self, line)
  }

  /// The trailer: summary, namespaces, errors and (sidecar only) the archive record.
  public func trailer() throws -> ManifestTrailer {
    while try nextNode() != nil {}
    if let whole { return whole.trailer }
    return try decode(ManifestTrailer.self, [UInt8(ascii: "{")] + readRest())
  }

  private func decode<T: Decodable>(_ type: T.Type, _ bytes: [UInt8]) throws -> T {
    do {
      return try decoder.decode(type, from: Data(bytes))
    } catch let error as DecodingError {
      throw malformed(Self.explain(error))
    }
  }

  private func malformed(_ message: String) -> ManifestError {
    .malformed(source: source, line: whole == nil && lineNumber > 0 ? lineNumber : nil, message: message)
  }

  private static func explain(_ error: DecodingError) -> String {
    switch error {
    case .keyNotFound(let key, _): "missing field \(key.stringValue)"
    case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
      ([context.debugDescription] + context.codingPath.map(\.stringValue)).joined(separator: " at ")
    @unknown default: "\(error)"
    }
  }

  private func nextLine() throws -> [UInt8]? {
    while true {
      lineStart = discarded + Int64(position)
      if let newline = buffer[position...].firstIndex(of: UInt8(ascii: "\n")) {
        let line = Array(buffer[position..<newline])
        position = newline + 1
        lineNumber += 1
        return line
      }
      if atEnd {
        guard position < buffer.count else { return nil }
        defer { position = buffer.count }
        lineNumber += 1
        return Array(buffer[position...])
      }
      buffer.removeFirst(position)
      discarded += Int64(position)
      position = 0
      if let chunk = try nextChunk() { buffer += chunk } else { atEnd = true }
    }
  }

  private func readRest() throws -> [UInt8] {
    var rest = Array(buffer[position...])
    while let chunk = try nextChunk() { rest += chunk }
    buffer = []
    position = 0
    atEnd = true
    return rest
  }
}

// CellarCore: writes a manifest as a stream, one node at a time (docs/architecture.md, "Archive and manifest layout").
import DescriptorIO
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Streams a manifest into an open file (the sidecar's partial file) in `ManifestLayout`.
///
/// Memory holds one node and a 64 KiB buffer, never the document. `finishBody` closes
/// everything but the sidecar-only `archive` field, so the file's bytes so far plus `"}\n"` are
/// the manifest the archive carries as its last member; `finishSidecar` then adds the archive's
/// size and checksum. Used by one task at a time.
final class ManifestWriter {
  private let fileDescriptor: Int32
  private let path: String
  private let encoder = ManifestLayout.encoder()
  private var buffer: [UInt8] = []
  private var pendingNode: [UInt8]?
  /// Bytes handed to the file so far (flushed or buffered).
  private(set) var length: Int64 = 0

  /// A writer into `fileDescriptor` (for messages: `path`), starting with `header`.
  init(fileDescriptor: Int32, path: String, header: ManifestHeader) throws {
    self.fileDescriptor = fileDescriptor
    self.path = path
    buffer.reserveCapacity(1 << 16)
    try append([UInt8(ascii: "{")] + ManifestLayout.fields(of: header, encoder: encoder) + Array(",\n".utf8))
    try append(Array((ManifestLayout.nodesOpening + "\n").utf8))
  }

  /// Adds a node (written when the next one arrives, so that the last one takes no comma).
  func add(_ node: ManifestNode) throws {
    if let pendingNode { try append(pendingNode + Array(",\n".utf8)) }
    pendingNode = ManifestNodeEncoder.encode(node)
  }

  /// Ends the node list and writes the trailer (without `archive`); the body is then complete.
  func finishBody(_ trailer: ManifestTrailer) throws {
    if let pendingNode { try append(pendingNode + [UInt8(ascii: "\n")]) }
    pendingNode = nil
    var body = trailer
    body.archive = nil
    try append(Array((ManifestLayout.nodesClosing + "\n").utf8) + ManifestLayout.fields(of: body, encoder: encoder))
    try flush()
  }

  /// The bytes that end the archive's copy of the manifest, after the body.
  static let memberEnding = Array("\n}\n".utf8)

  /// Ends the sidecar with the archive's record.
  func finishSidecar(archive: ManifestTrailer.Archive) throws {
    struct ArchiveField: Encodable { var archive: ManifestTrailer.Archive }
    let field = try ManifestLayout.fields(of: ArchiveField(archive: archive), encoder: encoder)
    try append(Array(",\n".utf8) + field + Array("}\n".utf8))
    try flush()
  }

  private func append(_ bytes: [UInt8]) throws {
    buffer += bytes
    length += Int64(bytes.count)
    if buffer.count >= 1 << 16 { try flush() }
  }

  private func flush() throws {
    do {
      try buffer.withUnsafeBytes { raw in try DescriptorIO.writeAll(fileDescriptor, raw) }
    } catch {
      throw PartialFile.Problem.io(operation: "write", path: path, message: "\(error)")
    }
    buffer.removeAll(keepingCapacity: true)
  }
}

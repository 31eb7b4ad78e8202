// CellarCore: the previous backup an incremental one is relative to (`--since`), indexed by
// Uuid without holding its manifest in memory.
import CellsKit
import DescriptorIO
import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The base of an incremental backup: its record (name, checksum, time) and a compact index of its
/// nodes by Uuid.
///
/// The index holds 16 bytes per node (a 64-bit hash of the Uuid and the byte offset of the
/// node's line in the sidecar), sorted, plus one bit per node for "seen again": 1 million nodes
/// cost about 16 MiB. A lookup binary-searches the hash and re-reads the node's line from the
/// sidecar (`pread`, from the page cache), checking the Uuid itself, so a hash collision costs
/// a read, never a wrong match. The sidecar stays open until the backup ends.
final class BackupBase: Sendable {
  private struct Entry: Sendable {
    var key: UInt64
    var offset: Int64
  }

  /// The base's sidecar, as read (a plain copy of an encrypted or remote one).
  let sidecar: String
  /// The base's archive: a path, or an `s3://` URL.
  let archive: String
  /// The plain copy `sidecar` names, kept while the base is in use.
  private let scratch: TemporaryFile?
  /// The base's header.
  let header: ManifestHeader
  /// What the incremental's header records about its base.
  let record: ManifestHeader.Base
  private let entries: [Entry]
  private let seen: Mutex<[UInt64]>
  private let descriptor: Int32

  /// Reads the sidecar at `path` through once and indexes its nodes.
  ///
  /// `name` is the sidecar as the user knows it (an `s3://` URL when `path` is a downloaded
  /// copy); an encrypted sidecar is decrypted into a temporary copy first.
  /// Throws `CellarError.usage` when it is not the sidecar of a finished backup.
  init(sidecar given: String, name: String? = nil, scratch downloaded: TemporaryFile? = nil) throws {
    let name = name ?? given
    let plain = try DecryptedCopy.of(given, name: name)
    let path = plain?.path ?? given
    scratch = plain ?? downloaded
    if plain != nil { downloaded?.close() }
    guard let reader = try? ManifestReader(path: path, name: name) else {
      throw CellarError.usage("--since: cannot read the sidecar \(name)")
    }
    let header = try reader.header()
    var entries: [Entry] = []
    while let node = try reader.nextNode() {
      guard let offset = reader.lastNodeOffset else {
        throw CellarError.usage("--since: \(name) is not laid out as cellar writes sidecars (one node per line)")
      }
      guard !node.uuid.isEmpty else { continue }
      entries.append(Entry(key: Self.key(node.uuid), offset: offset))
    }
    guard let archive = try reader.trailer().archive else {
      throw CellarError.usage("--since: \(name) has no archive record; give the sidecar (NAME.meta.json) of a backup")
    }
    entries.sort { ($0.key, $0.offset) < ($1.key, $1.offset) }
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw CellarError.usage("--since: cannot open \(name)") }
    self.sidecar = path
    let folder = name.hasPrefix("s3://") ? String(name[...name.lastIndex(of: "/")!]) : nil
    self.archive =
      folder.map { $0 + archive.name }
      ?? ((name as NSString).deletingLastPathComponent as NSString).appendingPathComponent(archive.name)
    self.header = header
    self.record = .init(name: archive.name, sha256: archive.sha256, startedAt: header.startedAt)
    self.entries = entries
    self.seen = Mutex([UInt64](repeating: 0, count: (entries.count + 63) / 64))
    self.descriptor = descriptor
  }

  deinit {
    close(descriptor)
    scratch?.close()
  }

  /// Number of nodes indexed.
  var count: Int { entries.count }

  /// The base's node with this Uuid, marked as seen again; nil when the base has none.
  func node(uuid: String) throws -> ManifestNode? {
    guard !uuid.isEmpty else { return nil }
    let key = Self.key(uuid)
    var position = lowerBound(key)
    while position < entries.count, entries[position].key == key {
      let node = try read(at: entries[position].offset)
      if node.uuid.utf8.elementsEqual(uuid.utf8) {
        let index = position
        seen.withLock { $0[index / 64] |= 1 << UInt64(index % 64) }
        return node
      }
      position += 1
    }
    return nil
  }

  /// The base's nodes never seen again, in the base's order: those deleted since.
  func unseen(_ visit: (ManifestNode) throws -> Void) throws {
    let reader = try ManifestReader(path: sidecar)
    let bits = seen.withLock { $0 }
    while let node = try reader.nextNode() {
      guard let offset = reader.lastNodeOffset, !node.uuid.isEmpty else { continue }
      var position = lowerBound(Self.key(node.uuid))
      while position < entries.count, entries[position].offset != offset { position += 1 }
      guard position < entries.count else { continue }
      if bits[position / 64] & (1 << UInt64(position % 64)) == 0 { try visit(node) }
    }
  }

  /// Where the bytes of the base's file `node` are: where the base says, else its own member.
  func stored(_ node: ManifestNode) -> ManifestNode.Stored {
    node.stored ?? .init(archive: record.name, sha256: record.sha256, member: node.path)
  }

  private func lowerBound(_ key: UInt64) -> Int {
    var low = 0
    var high = entries.count
    while low < high {
      let middle = (low + high) / 2
      if entries[middle].key < key { low = middle + 1 } else { high = middle }
    }
    return low
  }

  /// The node on the line starting at `offset`.
  private func read(at offset: Int64) throws -> ManifestNode {
    var line: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    var position = offset
    while true {
      let count = try chunk.withUnsafeMutableBytes { raw in
        try DescriptorIO.read(descriptor, into: raw, at: position)
      }
      guard count > 0 else { break }
      if let newline = chunk[..<count].firstIndex(of: UInt8(ascii: "\n")) {
        line += chunk[..<newline]
        break
      }
      line += chunk[..<count]
      position += Int64(count)
    }
    if line.last == UInt8(ascii: ",") { line.removeLast() }
    do {
      return try JSONDecoder().decode(ManifestNode.self, from: Data(line))
    } catch {
      throw ManifestError.malformed(source: sidecar, line: nil, message: "changed while the backup ran: \(error)")
    }
  }

  /// FNV-1a of the Uuid's bytes.
  private static func key(_ uuid: String) -> UInt64 {
    Hash64.fnv1a(uuid.utf8)
  }
}

extension BackupBase {
  /// How a listed node compares with the base.
  enum Comparison: Sendable {
    /// Not in the base: archive it.
    case new
    /// In the base (at `movedFrom` when it was renamed or moved) but different, or a folder:
    /// archive it.
    case changed(movedFrom: String?)
    /// A file with the base's size, ETag, content hash and mtime: record it, its bytes being
    /// where the base's are.
    case unchanged(ManifestNode, movedFrom: String?)
  }

  /// Compares `node` (its Uuid first) with the base, marking the base's node as seen.
  func compare(_ node: TreeNode) throws -> Comparison {
    guard let old = try self.node(uuid: node.uuid) else { return .new }
    let movedFrom = old.path.utf8.elementsEqual(node.path.utf8) ? nil : old.path
    guard !node.isFolder, !old.isFolder, old.sha256 != nil, old.size == node.size, old.mtime == node.mtime,
      !node.etag.isEmpty, old.etag == node.etag,
      node.contentHash == nil || old.contentHash == nil || old.contentHash == node.contentHash
    else { return .changed(movedFrom: movedFrom) }
    return .unchanged(old, movedFrom: movedFrom)
  }
}

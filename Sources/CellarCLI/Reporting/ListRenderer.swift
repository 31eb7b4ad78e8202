// CellarCLI: the lines of `cellar ls`, written to standard output through one buffer.
import ArchiveKit
import CellarCore
import Foundation
import Synchronization

/// Renders listing entries as text columns or JSON lines.
final class ListRenderer: Sendable {
  private let long: Bool
  private let json: Bool
  private let buffer = Mutex<[UInt8]>([])

  init(long: Bool, json: Bool) {
    self.long = long
    self.json = json
  }

  /// Renders `entries`, writing out once the buffer holds 64 KiB.
  func write(_ entries: [ListEntry]) {
    var text = ""
    for entry in entries { text += json ? Self.json(entry) : line(entry) }
    let full = buffer.withLock { buffer in
      buffer += Array(text.utf8)
      guard buffer.count >= 1 << 16 else { return [UInt8]() }
      defer { buffer.removeAll(keepingCapacity: true) }
      return buffer
    }
    if !full.isEmpty { FileHandle.standardOutput.write(Data(full)) }
  }

  /// Writes what is left in the buffer.
  func flush() {
    let rest = buffer.withLock { buffer in
      defer { buffer.removeAll() }
      return buffer
    }
    if !rest.isEmpty { FileHandle.standardOutput.write(Data(rest)) }
  }

  /// One entry as text: `TYPE SIZE MTIME [UUID HASH] PATH`, then (long) indented detail lines:
  /// where its bytes are stored when an earlier archive holds them, user metadata, old versions.
  func line(_ entry: ListEntry) -> String {
    switch entry {
    case .node(let node):
      var line = Self.columns(
        isFolder: node.isFolder, size: node.size ?? 0, mtime: node.mtime, path: node.path,
        extra: long ? [node.uuid.isEmpty ? "-" : node.uuid, node.contentHash ?? "-"] : [])
      guard long else { return line }
      if let stored = node.stored {
        line += "    stored in \(stored.archive) as \(stored.member)\n"
      }
      for meta in node.userMeta ?? [] { line += "    \(meta.namespace) = \(meta.jsonValue)\n" }
      let given = Set((node.userMeta ?? []).map(\.namespace))
      for key in node.metaStore.keys.sorted() where key.hasPrefix("usermeta-") && !given.contains(key) {
        line += "    \(key) = \(node.metaStore[key]!)\n"
      }
      for version in node.versions ?? [] {
        line += "    version \(version.versionId) \(version.size) bytes \(Self.date(version.mtime)) \(version.member)\n"
      }
      return line
    case .member(let member, let sha256):
      return Self.columns(
        isFolder: member.kind == .directory, size: member.size ?? 0, mtime: member.mtime, path: member.path,
        extra: long ? [sha256 ?? "-"] : [])
    }
  }

  private static func columns(isFolder: Bool, size: Int64, mtime: Int64, path: String, extra: [String]) -> String {
    let sizeText = String(size)
    let padded = String(repeating: " ", count: max(0, 12 - sizeText.count)) + sizeText
    return ([isFolder ? "d" : "-", padded, date(mtime)] + extra + [path]).joined(separator: "  ") + "\n"
  }

  /// `YYYY-MM-DD HH:MM:SS`, UTC.
  static func date(_ seconds: Int64) -> String {
    var time = time_t(seconds)
    var parts = tm()
    gmtime_r(&time, &parts)
    return String(
      format: "%04d-%02d-%02d %02d:%02d:%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
      Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
  }

  /// One entry as a JSON line: the manifest's node as recorded, or the member's header.
  static func json(_ entry: ListEntry) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let data: Data?
    switch entry {
    case .node(let node):
      data = try? encoder.encode(node)
    case .member(let member, let sha256):
      struct Member: Encodable {
        var path: String
        var type: String
        var size: Int64?
        var mtime: Int64
        var sha256: String?
      }
      data = try? encoder.encode(
        Member(
          path: member.path, type: NodeKind(isFolder: member.kind == .directory).rawValue,
          size: member.kind == .directory ? nil : member.size, mtime: member.mtime, sha256: sha256))
    }
    return (data.map { String(decoding: $0, as: UTF8.self) } ?? "{}") + "\n"
  }
}

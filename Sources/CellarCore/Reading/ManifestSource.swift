// CellarCore: where the manifest of an archive is read from: the sidecar given, else
// ARCHIVE.meta.json beside the archive, else the archive's own `.cellar/manifest.json`
// (docs/architecture.md, "Archive and manifest layout").
import ArchiveKit
import Foundation

/// A manifest to read: a sidecar file, or the manifest member at the end of an archive.
enum ManifestSource: Sendable, Equatable {
  /// A sidecar (or any manifest file) at this path.
  case sidecar(String)
  /// The `.cellar/manifest.json` member of the archive at this path.
  case member(archive: String)
  /// A copy of the manifest member of `archive`, read at `path` and named as the member.
  case copy(path: String, archive: String)

  /// The member holding an archive's manifest (docs/architecture.md, "Archive and manifest layout").
  static let memberName = ".cellar/manifest.json"

  /// The sidecar of `archive`: `given`, which must be readable, else `ARCHIVE.meta.json` when it
  /// exists, else nil.
  static func sidecar(for archive: String, given: String?) throws -> String? {
    if let given {
      guard FileManager.default.isReadableFile(atPath: given) else {
        throw CellarError.usage("cannot read the sidecar \(given)")
      }
      return given
    }
    let beside = archive + ".meta.json"
    return FileManager.default.isReadableFile(atPath: beside) ? beside : nil
  }

  /// The name messages use: the file's path, or `ARCHIVE:.cellar/manifest.json`.
  var name: String {
    switch self {
    case .sidecar(let path): path
    case .member(let archive), .copy(_, let archive): "\(archive):\(Self.memberName)"
    }
  }

  /// A streaming reader of this manifest, to be used from one thread (it blocks on reads).
  ///
  /// For a member, the archive is read up to it first (skipping the data of every member
  /// before); refused members are passed over. Throws `ManifestError.absent` when the
  /// archive has no manifest member, and `ArchiveError` when the archive cannot be read.
  func reader() throws -> ManifestReader {
    switch self {
    case .sidecar(let path):
      return try ManifestReader(path: path)
    case .copy(let path, _):
      return try ManifestReader(path: path, name: name)
    case .member(let archive):
      let archiveReader = try ArchiveLocation.reader(archive, s3: nil)
      while true {
        let member: ArchiveMember?
        do {
          member = try archiveReader.next()
        } catch ArchiveError.unsafeMemberName, ArchiveError.unsupportedMemberType {
          continue
        }
        guard let member else {
          throw ManifestError.absent(source: archive)
        }
        if member.kind == .file, member.path.utf8.elementsEqual(Self.memberName.utf8) { break }
      }
      var chunk = [UInt8](repeating: 0, count: 1 << 16)
      return ManifestReader(source: name) {
        let count = try chunk.withUnsafeMutableBytes { try archiveReader.read(into: $0) }
        return count == 0 ? nil : Array(chunk[..<count])
      }
    }
  }
}

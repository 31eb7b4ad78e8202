// CellarCore: the first pass of a restore, which reads the whole archive before anything is
// written: a truncated, corrupt or hostile archive is refused while the server is untouched.
import ArchiveKit
import Foundation

/// What the first pass over an archive found.
struct ArchiveScan: Sendable {
  /// The member holding the manifest (docs/architecture.md, "Archive and manifest layout").
  static let manifestMember = ManifestSource.memberName

  /// Files and folders outside `.cellar/`.
  var files = 0
  /// Folders.
  var folders = 0
  /// Bytes of those files.
  var bytes: Int64 = 0
  /// Keys of the members (`ManifestIndex.memberKey`), to check them against the manifest.
  var members: Set<Int> = []
  /// Whether the archive's own manifest was copied (it has one, and a copy was asked for).
  var copiedManifest = false

  /// Whether a member is cellar's own (manifest, old versions), never restored as a node.
  static func isCellarMember(_ path: String) -> Bool {
    path == ".cellar" || path.utf8.starts(with: ".cellar/".utf8)
  }

  /// Reads every member of `archive` to its end.
  ///
  /// Copies the manifest member into `manifestCopy` when given. Throws
  /// `RestoreError.refusedArchive` for anything the reader refuses.
  static func run(archive: String, copyingManifestTo manifestCopy: FileHandle?) async throws -> ArchiveScan {
    let cursor = ArchiveCursor(path: archive)
    var scan = ArchiveScan()
    do {
      while let member = try await cursor.next() {
        try Task.checkCancellation()
        if member.path == manifestMember, let manifestCopy {
          try await cursor.copy(to: manifestCopy)
          scan.copiedManifest = true
          continue
        }
        if isCellarMember(member.path) {
          _ = try await cursor.drain()
          continue
        }
        // A second member of the same name would restore one copy and drop the other unseen.
        guard scan.members.insert(ManifestIndex.memberKey(member.path, isFolder: member.isDirectory)).inserted else {
          throw RestoreError.refusedArchive(archive: archive, reason: "the member \"\(member.path)\" appears twice")
        }
        if member.isDirectory {
          scan.folders += 1
        } else {
          scan.files += 1
          scan.bytes += try await cursor.drain()
        }
      }
    } catch let error as ArchiveError {
      throw RestoreError.refusedArchive(archive: archive, reason: error.description)
    }
    return scan
  }

  /// The path of the first member whose key is in `keys`.
  static func firstMember(of archive: String, in keys: Set<Int>) async throws -> String? {
    let cursor = ArchiveCursor(path: archive)
    while let member = try await cursor.next() {
      if keys.contains(ManifestIndex.memberKey(member.path, isFolder: member.isDirectory)) { return member.path }
    }
    return nil
  }
}

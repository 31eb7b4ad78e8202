// CellarCore: where extracted bytes go: files under a local folder, or standard output.
import ArchiveKit
import DescriptorIO
import Foundation
import HashKit

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes members out, hashing them on the way: into partial files of a `LocalTree` that are
/// put in place once checked, or (no tree) to standard output.
final class ExtractOutput {
  /// A file written and not yet put in place.
  struct Pending {
    /// The node's Cells path.
    var path: String
    /// Its local path (nil: standard output).
    var local: String?
    var file: PartialFile?
    var mtime: Int64
    /// SHA-256 of the bytes written, hex.
    var sha256: String
    var bytes: Int64
  }

  let tree: LocalTree?
  private let overwrite: Bool

  init(tree: LocalTree?, overwrite: Bool) {
    self.tree = tree
    self.overwrite = overwrite
  }

  /// Creates the folder `path` under the tree; its local path.
  func folder(_ path: String) throws -> String {
    guard let tree else { throw ExtractError.isFolder(path: path) }
    return try tree.place(path, isFolder: true)
  }

  /// Writes the current member of `reader` as `path`.
  ///
  /// A local file that is there already is kept (without `--overwrite`): when it holds the bytes
  /// `expected` names (an extract run again after an interruption), it is given back as written,
  /// else refused.
  func write(
    path: String, member: ArchiveMember, from reader: ArchiveReader, mtime: Int64? = nil, expected: String? = nil
  ) throws -> Pending {
    var local: String?
    var file: PartialFile?
    if let tree {
      let placed = try tree.place(path, isFolder: false)
      var info = stat()
      if !overwrite, lstat(placed, &info) == 0 {
        if let expected, info.st_mode & S_IFMT == S_IFREG, let existing = try? FileDigest.sha256(ofFileAt: placed),
          existing == expected
        {
          return Pending(
            path: path, local: placed, file: nil, mtime: mtime ?? member.mtime, sha256: existing,
            bytes: Int64(info.st_size))
        }
        throw ExtractError.blocked(path: placed, reason: "exists (--overwrite replaces it)")
      }
      local = placed
      file = try tree.create(placed)
    }
    let descriptor = file?.fileDescriptor ?? STDOUT_FILENO
    let hash = try SHA256()
    var bytes: Int64 = 0
    do {
      try reader.forEachChunk { chunk in
        // Ctrl-C: stop between two chunks, the partial file discarded below.
        if Task.isCancelled { throw CancellationError() }
        try hash.update(chunk)
        try DescriptorIO.writeAll(descriptor, chunk)
        bytes += Int64(chunk.count)
      }
    } catch let error as DescriptorError {
      file?.discard()
      throw ExtractError.blocked(path: local ?? "standard output", reason: "cannot write: \(error)")
    } catch {
      file?.discard()
      throw error
    }
    return Pending(
      path: path, local: local, file: file, mtime: mtime ?? member.mtime, sha256: try hash.finalize().hex, bytes: bytes)
  }

  /// Puts a checked file in place.
  func publish(_ item: Pending) throws {
    guard let tree, let file = item.file else { return }
    try tree.publish(file, mtime: item.mtime, replacing: overwrite)
  }

  /// Removes a file that failed its check.
  func discard(_ item: Pending) {
    item.file?.discard()
  }
}

// CellarCore: the local folder `cellar extract` writes into, refusing to be led out of it.
import CellsKit
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Places archive paths under a local root, refusing to be led out of it.
///
/// Every name is checked with the restore's rule (no absolute path, no `.` or `..`, no NUL), and
/// no existing symbolic link or file on the way is followed or replaced, so an archive or a
/// prepared folder cannot make a write land elsewhere. Files are written under a temporary name
/// and renamed when whole.
struct LocalTree {
  let root: String

  /// The tree under `root`, which is created when missing.
  init(root: String) throws {
    self.root = root
    var info = stat()
    if stat(root, &info) != 0 {
      guard mkdir(root, 0o755) == 0 || errno == EEXIST else {
        throw ExtractError.blocked(path: root, reason: "cannot create the folder: \(String(cString: strerror(errno)))")
      }
    } else if info.st_mode & S_IFMT != S_IFDIR {
      throw ExtractError.blocked(path: root, reason: "not a folder")
    }
  }

  /// The local path of `path`, its parent folders created (and `path` too when `isFolder`).
  func place(_ path: String, isFolder: Bool) throws -> String {
    if let problem = CellsPath.problem(in: path) { throw ExtractError.unsafeName(path: path, reason: problem) }
    let segments = CellsPath(path).segments
    var local = root
    for (index, name) in segments.enumerated() {
      local += "/" + name
      guard index < segments.count - 1 || isFolder else { break }
      try folder(local, for: path)
    }
    if !isFolder {
      var info = stat()
      if lstat(local, &info) == 0, info.st_mode & S_IFMT != S_IFREG {
        throw ExtractError.blocked(path: local, reason: "something other than a file is in the way")
      }
    }
    return local
  }

  /// A file at `local` being written; `publish` puts it in place.
  func create(_ local: String) throws -> PartialFile {
    try PartialFile(path: local, mode: 0o644)
  }

  /// Puts `file` in place, over an existing file only when `replacing`, with `mtime`.
  func publish(_ file: PartialFile, mtime: Int64, replacing: Bool) throws {
    var times = [timespec(tv_sec: time_t(mtime), tv_nsec: 0), timespec(tv_sec: time_t(mtime), tv_nsec: 0)]
    _ = futimens(file.fileDescriptor, &times)
    try file.prepare()
    do {
      try file.publish(replacing: replacing)
    } catch PartialFile.Problem.taken(let path) {
      throw ExtractError.blocked(path: path, reason: "exists (--overwrite replaces it)")
    }
  }

  /// Makes sure `local` is a real folder (not a link to one), creating it when missing.
  private func folder(_ local: String, for path: String) throws {
    var info = stat()
    if lstat(local, &info) == 0 {
      guard info.st_mode & S_IFMT == S_IFDIR else {
        let what = info.st_mode & S_IFMT == S_IFLNK ? "a symbolic link" : "a file"
        throw ExtractError.blocked(path: local, reason: "\(what) is where a folder of \(path) goes; not followed")
      }
      return
    }
    guard mkdir(local, 0o755) == 0 || errno == EEXIST else {
      throw ExtractError.blocked(path: local, reason: "cannot create the folder: \(String(cString: strerror(errno)))")
    }
  }
}

// CellarCore: outputs written under a temporary name and renamed only when complete, so a failed
// or interrupted run never replaces a good archive.
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A file being written as `PATH.partial` and renamed to `PATH` by `commit()`.
///
/// Until then `PATH` keeps whatever it held before. Released without `commit()` (an error, a
/// cancellation), the partial file is removed. On Linux the file is first created without a name
/// (`O_TMPFILE`) and only linked as `PATH.partial` at commit, so even a run killed with SIGKILL
/// leaves nothing behind; where the filesystem cannot do that, `PATH.partial` is used from the
/// start. Used by one task at a time.
public final class PartialFile {
  /// Why the output could not be written.
  public enum Problem: Error, Equatable, CustomStringConvertible {
    /// Opening, syncing or renaming failed; the message is the system's.
    case io(operation: String, path: String, message: String)
    /// The final name was taken while the file was written, and replacing was not allowed.
    case taken(path: String)

    /// One line for the user.
    public var description: String {
      switch self {
      case .io(let operation, let path, let message): "cannot \(operation) \(path): \(message)"
      case .taken(let path):
        "\(path) appeared while this run was writing it and was left as it is; this run's output was removed"
      }
    }
  }

  /// The final path.
  public let path: String
  /// The temporary path being written.
  public let partialPath: String
  /// The open descriptor of the partial file, readable and writable (closed by `commit()` and
  /// `discard()`).
  public private(set) var fileDescriptor: Int32
  private let isUnnamed: Bool
  private var prepared = false
  private var finished = false

  /// `PATH.partial`; for a name too long to take the suffix (past 247 bytes), a shorter name in
  /// the same folder made from a hash of it, `.NAMEHASH.partial`.
  static func partialPath(for path: String) -> String {
    let name = path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).last ?? []
    guard name.count + ".partial".utf8.count > Int(NAME_MAX) else { return path + ".partial" }
    // FNV-1a: a stable name for the same path, so that a rerun finds its own leftover.
    let hash = Hash64.fnv1a(name)
    let folder = String(decoding: path.utf8.dropLast(name.count), as: UTF8.self)
    return folder + "." + String(hash, radix: 16) + ".partial"
  }

  /// Creates the partial file for `path` with exactly `mode`, whatever the umask.
  ///
  /// A backup holds every file of a workspace: by default only its owner may read it.
  public init(path: String, mode: mode_t = 0o600) throws {
    self.path = path
    partialPath = Self.partialPath(for: path)
    #if os(Linux)
      let unnamed = open(Self.folder(of: path), Self.temporaryFileFlag | O_RDWR | O_CLOEXEC, 0o600)
    #else
      let unnamed: Int32 = -1
    #endif
    isUnnamed = unnamed >= 0
    fileDescriptor = isUnnamed ? unnamed : open(partialPath, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard fileDescriptor >= 0 else { throw Self.failure("create", partialPath) }
    guard fchmod(fileDescriptor, mode) == 0 else {
      let error = Self.failure("set the mode of", partialPath)
      discard()
      throw error
    }
  }

  // O_TMPFILE (__O_TMPFILE | O_DIRECTORY), a macro Swift does not import.
  private static let temporaryFileFlag: Int32 = 0o20000000 | O_DIRECTORY

  deinit {
    discard()
  }

  /// Flushes the data to disk and renames the partial file over `path`.
  public func commit() throws {
    try prepare()
    try publish()
  }

  /// Flushes the data to disk and names the file `PATH.partial`: complete, not yet in place.
  ///
  /// Two outputs that belong together are both prepared before either is published.
  public func prepare() throws {
    precondition(!finished && !prepared, "PartialFile prepared, committed or discarded twice")
    guard fsync(fileDescriptor) == 0 else {
      let error = Self.failure("write", partialPath)
      discard()
      throw error
    }
    if isUnnamed {
      unlink(partialPath)  // a leftover from an older run, if any
      guard linkat(AT_FDCWD, "/proc/self/fd/\(fileDescriptor)", AT_FDCWD, partialPath, AT_SYMLINK_FOLLOW) == 0 else {
        let error = Self.failure("name", partialPath)
        discard()
        throw error
      }
    }
    close(fileDescriptor)
    fileDescriptor = -1
    prepared = true
  }

  /// Renames the prepared `PATH.partial` to `path`, over what is there when `replacing`.
  ///
  /// Without `replacing`, an existing `path` is kept and `Problem.taken` thrown: the partial
  /// file is hard-linked to `path`, which fails when the name exists, at once and for any
  /// process (a filesystem without hard links gets a check then a rename).
  public func publish(replacing: Bool = true) throws {
    precondition(prepared && !finished, "PartialFile published before it was prepared, or twice")
    if !replacing {
      if link(partialPath, path) == 0 {
        unlink(partialPath)
        finished = true
        return
      }
      let linkError = errno
      var status = stat()
      if linkError == EEXIST || lstat(path, &status) == 0 {
        discard()
        throw Problem.taken(path: path)
      }
      guard [EPERM, ENOTSUP, EOPNOTSUPP, EMLINK].contains(linkError) else {
        errno = linkError
        let error = Self.failure("name", path)
        discard()
        throw error
      }
    }
    guard rename(partialPath, path) == 0 else {
      let error = Self.failure("rename to", path)
      discard()
      throw error
    }
    finished = true
  }

  /// Closes and removes the partial file; `path` is left as it was.
  public func discard() {
    guard !finished else { return }
    finished = true
    if fileDescriptor >= 0 { close(fileDescriptor) }
    fileDescriptor = -1
    unlink(partialPath)
  }

  /// Flushes the folder holding `path`, so that renames in it survive a crash (best effort).
  static func syncDirectory(of path: String) {
    let descriptor = open(folder(of: path), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard descriptor >= 0 else { return }
    fsync(descriptor)
    close(descriptor)
  }

  /// The folder `path` is in ("." for a bare name, "/" at the top).
  private static func folder(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
  }

  private static func failure(_ operation: String, _ path: String) -> Problem {
    .io(operation: operation, path: path, message: String(cString: strerror(errno)))
  }
}

@available(*, unavailable)
extension PartialFile: Sendable {}

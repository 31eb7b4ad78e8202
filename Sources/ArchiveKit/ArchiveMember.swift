// ArchiveKit: what the reader says about one member.

/// One member of an archive, as returned by `ArchiveReader.next()`.
///
/// Only regular files and directories are ever returned; the reader refuses every other type.
public struct ArchiveMember: Sendable, Hashable {
  /// What a member is.
  public enum Kind: String, Sendable, Hashable {
    /// A regular file, whose data follows.
    case file
    /// A directory (folder); it has no data.
    case directory
  }

  /// The member's relative path, `/`-separated, exactly as the archive stores it (UTF-8, not
  /// Unicode-normalised), minus a leading `./`, empty or `.` components and a directory's
  /// trailing `/`.
  public let path: String
  /// Whether the member is a file or a directory.
  public let kind: Kind
  /// The size of a file's data in bytes (0 for a directory), or `nil` when the archive does not
  /// say before the data (a zip member with a data descriptor, read from an `ArchiveSource`).
  public let size: Int64?
  /// The permission bits (at most `0o7777`).
  public let mode: UInt32
  /// The modification time, in whole seconds since 1970-01-01 UTC.
  public let mtime: Int64

  /// Creates a member description.
  public init(path: String, kind: Kind, size: Int64?, mode: UInt32, mtime: Int64) {
    self.path = path
    self.kind = kind
    self.size = size
    self.mode = mode
    self.mtime = mtime
  }

  /// Whether the member is a directory.
  public var isDirectory: Bool { kind == .directory }
}

// CellarCore: the outcome of `cellar cat` or `cellar extract`.

/// What an extraction did and how much of the archive it had to read.
public struct ExtractSummary: Sendable, Equatable {
  /// Files written.
  public var files = 0
  /// Folders created.
  public var folders = 0
  /// File bytes written.
  public var bytes: Int64 = 0
  /// Nodes that failed (each reported).
  public var errors = 0
  /// Bytes read from the archive file.
  public var archiveBytesRead: Int64 = 0
  /// The archive file's size.
  public var archiveBytes: Int64 = 0
  /// Whether members were read from their offsets (false: the whole archive was read, because
  /// it has no index or its sidecar is missing or does not describe it).
  public var seeked = false

  /// An empty summary.
  public init() {}
}

// CellarCore: what the manifest says after its nodes, known only when the backup ends.
import ArchiveKit
import CellsKit

/// The closing fields of a manifest (docs/architecture.md, "Archive and manifest layout").
///
/// `archive` is only in the sidecar: the copy of the manifest inside the archive cannot hold the
/// archive's own checksum.
public struct ManifestTrailer: Codable, Sendable, Equatable {
  /// Counts for the whole backup.
  public struct Summary: Codable, Sendable, Equatable {
    /// Folders archived.
    public var folders: Int
    /// Files archived.
    public var files: Int
    /// File bytes archived (old versions included).
    public var bytes: Int64
    /// Nodes left out on purpose (filters).
    public var skipped: Int
    /// Nodes that failed (listed in `errors`).
    public var errors: Int
    /// Incremental backups: files unchanged since the base (recorded, their bytes not archived).
    public var unchanged: Int?
    /// Incremental backups: nodes deleted since the base.
    public var deleted: Int?

    /// A summary.
    public init(
      folders: Int = 0, files: Int = 0, bytes: Int64 = 0, skipped: Int = 0, errors: Int = 0, unchanged: Int? = nil,
      deleted: Int? = nil
    ) {
      self.folders = folders
      self.files = files
      self.bytes = bytes
      self.skipped = skipped
      self.errors = errors
      self.unchanged = unchanged
      self.deleted = deleted
    }
  }

  /// A node of the base that an incremental backup no longer found.
  public struct Deleted: Codable, Sendable, Equatable {
    /// Its Cells path in the base.
    public var path: String
    /// Its Uuid.
    public var uuid: String
    /// "COLLECTION" or "LEAF".
    public var type: String

    /// A deletion record.
    public init(path: String, uuid: String, type: String) {
      self.path = path
      self.uuid = uuid
      self.type = type
    }
  }

  /// A node that could not be archived.
  public struct Failure: Codable, Sendable, Equatable {
    /// Its Cells path.
    public var path: String
    /// Why, in words.
    public var message: String

    /// A failure record.
    public init(path: String, message: String) {
      self.path = path
      self.message = message
    }
  }

  /// The archive the manifest describes.
  public struct Archive: Codable, Sendable, Equatable {
    /// Its file name ("-" for standard output).
    public var name: String
    /// Its format ("tar.gz"…).
    public var format: String
    /// Its size (of the plain archive, when encrypted).
    public var bytes: Int64
    /// SHA-256 of the whole archive (of the plain archive, what `age -d` gives, when encrypted), hex.
    public var sha256: String
    /// The independently decompressible frames of a tar.gz, tar.zst or tar.xz, in order.
    ///
    /// Each is written `[compressedOffset, uncompressedOffset]`. Nil for other formats and older archives.
    public var frames: [ArchiveFrame]?
    /// How the archive file is encrypted: "age", or nil for a plain archive.
    public var encryption: String?

    /// An archive record.
    public init(
      name: String, format: String, bytes: Int64, sha256: String, frames: [ArchiveFrame]? = nil,
      encryption: String? = nil
    ) {
      self.name = name
      self.format = format
      self.bytes = bytes
      self.sha256 = sha256
      self.frames = frames
      self.encryption = encryption
    }
  }

  /// When the backup finished, ISO 8601 UTC.
  public var finishedAt: String
  /// Counts.
  public var summary: Summary
  /// The definitions of the user-metadata namespaces the nodes use.
  public var namespaces: [UserMetaNamespace]
  /// What failed.
  public var errors: [Failure]
  /// The archive (sidecar only).
  public var archive: Archive?
  /// Incremental backups: the nodes of the base deleted since (renamed and moved ones are not).
  public var deleted: [Deleted]?

  /// A trailer.
  public init(
    finishedAt: String, summary: Summary, namespaces: [UserMetaNamespace], errors: [Failure], archive: Archive? = nil,
    deleted: [Deleted]? = nil
  ) {
    self.finishedAt = finishedAt
    self.summary = summary
    self.namespaces = namespaces
    self.errors = errors
    self.archive = archive
    self.deleted = deleted
  }
}

// CellarCore: one node of a backup as the manifest records it (docs/architecture.md, "Archive and manifest layout").

/// A file or folder in a backup: where it was, what it was, and the metadata to restore.
///
/// `metaStore` values are kept verbatim (each is JSON text); `userMeta` holds the values the
/// user-metadata API returned for the node, bookmarks included, which restore writes back.
public struct ManifestNode: Codable, Sendable, Equatable {
  /// A user-metadata value: its namespace and JSON text.
  public struct Meta: Codable, Sendable, Equatable {
    /// The namespace, such as "usermeta-tags" or "bookmark".
    public var namespace: String
    /// The value as JSON text, verbatim.
    public var jsonValue: String

    /// A value in `namespace`.
    public init(namespace: String, jsonValue: String) {
      self.namespace = namespace
      self.jsonValue = jsonValue
    }
  }

  /// An old version of a file, stored as its own archive member (`--versions`).
  public struct Version: Codable, Sendable, Equatable {
    /// The server's version id.
    public var versionId: String
    /// The archive member holding its bytes: `ManifestNode.versionMember(path:versionId:)`.
    public var member: String
    /// Bytes.
    public var size: Int64
    /// Modification time of that version, Unix seconds.
    public var mtime: Int64
    /// The version's ETag.
    public var etag: String?
    /// SHA-256 of the bytes archived, hex.
    public var sha256: String?
    /// The version's description, when the server gives one.
    public var description: String?
    /// Where its member starts, as `ManifestNode.offset` says.
    public var offset: Int64?

    /// A version record.
    public init(
      versionId: String, member: String, size: Int64, mtime: Int64, etag: String? = nil, sha256: String? = nil,
      description: String? = nil
    ) {
      self.versionId = versionId
      self.member = member
      self.size = size
      self.mtime = mtime
      self.etag = etag
      self.sha256 = sha256
      self.description = description
    }
  }

  /// Where the bytes of a file an incremental backup found unchanged are: a member of an
  /// earlier archive of the chain.
  public struct Stored: Codable, Sendable, Equatable {
    /// That archive's file name.
    public var archive: String
    /// SHA-256 of that archive file, hex: what identifies it in a chain.
    public var sha256: String
    /// The member holding the bytes (the file's path when that archive was written).
    public var member: String

    /// A record of bytes stored in `archive` as `member`.
    public init(archive: String, sha256: String, member: String) {
      self.archive = archive
      self.sha256 = sha256
      self.member = member
    }
  }

  /// The node's Cells path, without a leading slash; also its archive member name.
  public var path: String
  /// "COLLECTION" or "LEAF".
  public var type: String
  /// The node's Uuid on the server it was backed up from.
  public var uuid: String
  /// Bytes archived (files only).
  public var size: Int64?
  /// Modification time, Unix seconds.
  public var mtime: Int64
  /// The node's ETag (files only).
  public var etag: String?
  /// The Cells content hash (`x-cells-hash`) the server reported, when it did.
  public var contentHash: String?
  /// SHA-256 of the bytes archived, hex (files only).
  public var sha256: String?
  /// What the bytes archived were checked against at backup time (files only).
  ///
  /// `ContentCheck`'s names: `cells-hash`, `cells-hash-parts`, `consistent`, `none`, `damaged`.
  /// Archives written before this field have none.
  public var check: String?
  /// The `x-cells-hash` these bytes get when uploaded whole or in 10 MiB multiples, as restore
  /// uploads them; given only where it is not `contentHash` (a file the server got in parts of
  /// another size), so that a restored copy is recognised.
  public var wholeContentHash: String?
  /// The MetaStore, verbatim.
  public var metaStore: [String: String]
  /// User-metadata values (bookmarks included), when there are any.
  public var userMeta: [Meta]?
  /// Old versions archived with `--versions`.
  public var versions: [Version]?
  /// Incremental backups: where the bytes of a file unchanged since the base are.
  ///
  /// They are in an earlier archive, not in this one. Nil: its bytes (if any) are this
  /// archive's member `path`.
  public var stored: Stored?
  /// Incremental backups: the node's path in the base when it has been renamed or moved since.
  public var movedFrom: String?
  /// Where the node's member (its header) starts: in the uncompressed tar stream, or the zip file.
  ///
  /// Nil for archives written before offsets were recorded and
  /// for files whose bytes are `stored` elsewhere.
  public var offset: Int64?

  /// The folder type name.
  public static let folderType = "COLLECTION"
  /// The file type name.
  public static let fileType = "LEAF"

  /// A node record.
  public init(
    path: String, type: String, uuid: String, size: Int64? = nil, mtime: Int64, etag: String? = nil,
    contentHash: String? = nil, sha256: String? = nil, check: String? = nil, wholeContentHash: String? = nil,
    metaStore: [String: String] = [:], userMeta: [Meta]? = nil,
    versions: [Version]? = nil, stored: Stored? = nil, movedFrom: String? = nil
  ) {
    self.path = path
    self.type = type
    self.uuid = uuid
    self.size = size
    self.mtime = mtime
    self.etag = etag
    self.contentHash = contentHash
    self.sha256 = sha256
    self.check = check
    self.wholeContentHash = wholeContentHash
    self.metaStore = metaStore
    self.userMeta = userMeta
    self.versions = versions
    self.stored = stored
    self.movedFrom = movedFrom
  }

  /// True for folders.
  public var isFolder: Bool { type == Self.folderType }

  /// Whether the backup recorded the file's archived bytes as damaged (`check` is `damaged`).
  public var isDamaged: Bool { check == "damaged" }

  /// The `x-cells-hash` a restored copy of the file has: cellar uploads in 10 MiB multiples.
  public var restoredContentHash: String? { wholeContentHash ?? contentHash }

  /// The member that holds the node in the archive its bytes are in (`stored`, else this one).
  public var memberPath: String { stored?.member ?? path }

  /// The archive member that holds version `versionId` of the file at `path`.
  ///
  /// Versions live under `.cellar/versions/`, beside the live file's own path, so that a plain
  /// `tar -x` puts them out of the way of the restored tree.
  public static func versionMember(path: String, versionId: String) -> String {
    ".cellar/versions/\(path)/\(versionId)"
  }
}

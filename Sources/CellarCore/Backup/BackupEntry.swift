// CellarCore: what the walk stage hands to the archive stage, in archive order.
import CellsKit
import S3Kit

/// A file's bytes read ahead in memory, with their checksums and the size the server sent.
struct FetchedBody: Sendable {
  var bytes: [UInt8]
  var sha256: String
  var cellsHash: String
  /// The check the bytes passed; nil when they passed none.
  var check: ContentCheck?
}

/// One node on its way into the archive.
struct BackupEntry: Sendable {
  /// How the file's bytes reach the archive.
  enum Content: Sendable {
    /// A folder: no bytes.
    case folder
    /// A file read ahead by a fetcher (its task), holding `reserved` bytes of the budget.
    case readAhead(Task<FetchedBody, any Error>, reserved: Int64)
    /// A file to stream from the server when its turn comes.
    case stream
    /// A file the listing says is empty: nothing to download.
    case empty
    /// A file unchanged since the base of an incremental backup (the base's node, its `stored`
    /// set to where its bytes are): nothing to download.
    case unchanged(ManifestNode)
  }

  /// The node as listed.
  var node: TreeNode
  /// The S3 key of its bytes (its workspace path); nil in admin context when no workspace maps it.
  var key: String?
  /// Its user metadata (bookmarks included).
  var userMeta: [ManifestNode.Meta]
  var content: Content
  /// Incremental backups: its path in the base, when it was renamed or moved since.
  var movedFrom: String? = nil
}

// CellsSandbox: one entry of a datasource tree, as the index stores it.

/// The type of a node: `tree.NodeType` (`LEAF` = 1, `COLLECTION` = 2).
public enum NodeType: Int, Sendable {
  case leaf = 1
  case collection = 2

  /// The enum name protobuf-JSON writes.
  var jsonName: String { self == .leaf ? "LEAF" : "COLLECTION" }
}

/// A node of a datasource tree: a folder or a file, addressed by datasource and path inside it.
///
/// `meta` holds the stored MetaStore (values are JSON text: docs/cells-protocol.md, "Node JSON and MetaStore"),
/// including reserved `pydio:` keys that REST output strips. Folder counts and user metadata are
/// added on output.
public struct Node: Sendable, Equatable {
  /// The node UUID, stable across renames and overwrites.
  public var uuid: String
  /// The datasource holding it.
  public var datasource: String
  /// The path inside the datasource, no leading slash; "" is the datasource root.
  public var path: String
  /// File or folder.
  public var type: NodeType
  /// Bytes of a file (folders: 0, their size is summed on output).
  public var size: Int64
  /// Last modification, Unix seconds.
  public var mtime: Int64
  /// Storage ETag of a file ("temporary" while an upload runs), empty for folders.
  public var etag: String
  /// The content file's id in the blob directory; nil for folders and pending uploads.
  public var blob: String?
  /// Stored MetaStore: key → JSON text.
  public var meta: [String: String]

  /// The last path segment ("" for a datasource root).
  public var name: String {
    guard let slash = path.lastIndex(of: "/") else { return path }
    return String(path[path.index(after: slash)...])
  }

  /// The parent's path inside the datasource ("" for top-level nodes).
  var parentPath: String { Node.parent(of: path) }

  static func parent(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "" }
    return String(path[..<slash])
  }

  static func join(_ a: String, _ b: String) -> String {
    a.isEmpty ? b : b.isEmpty ? a : a + "/" + b
  }
}

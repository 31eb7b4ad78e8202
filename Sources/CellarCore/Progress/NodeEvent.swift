// CellarCore: one node done (or planned), as a node event carries it.

/// What a command did with one node.
public struct NodeEvent: Sendable, Equatable {
  /// The node's path: in the archive for backup and verify, on the server for restore.
  public var path: String
  /// Folder or file.
  public var kind: NodeKind
  /// The file's size; nil for folders (and when it is not known).
  public var size: Int64?
  /// What was done.
  public var action: NodeAction
  /// backup `--since`: the path the base had for a node that moved since.
  public var movedFrom: String?
  /// restore `--dry-run`: the metadata namespaces that would be applied to the node.
  public var metadata: [String]

  /// A node event; `size` is dropped for folders.
  public init(
    path: String, kind: NodeKind, size: Int64? = nil, action: NodeAction, movedFrom: String? = nil,
    metadata: [String] = []
  ) {
    self.path = path
    self.kind = kind
    self.size = kind == .folder ? nil : size
    self.action = action
    self.movedFrom = movedFrom
    self.metadata = metadata
  }
}

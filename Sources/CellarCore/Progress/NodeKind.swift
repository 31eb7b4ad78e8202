// CellarCore: the `type` of a node event, spelled as Cells spells it.

/// A folder or a file, with the Cells node type as its raw value.
public enum NodeKind: String, Sendable, CaseIterable {
  /// A folder (Cells `COLLECTION`).
  case folder = "COLLECTION"
  /// A file (Cells `LEAF`).
  case file = "LEAF"

  /// The kind of a node that is a folder or not.
  public init(isFolder: Bool) { self = isFolder ? .folder : .file }
}

// CellarCore: the `action` of a node event, the one word (or two) `--json` and `--verbose` say
// about each node. The values are part of the stable JSON output: add, never rename.

/// What a command did (or, in a dry run, would do) with one node.
public enum NodeAction: String, Sendable, CaseIterable {
  /// backup: the node is in the archive.
  case archived
  /// backup `--since`: a file the base already holds (recorded, not downloaded); restore: a file
  /// the server already has with the archive's content (skipped); verify `--remote`: a node the
  /// server still has as the manifest recorded it.
  case unchanged
  /// backup `--since`: a node of the base the walk did not meet again.
  case deleted
  /// backup `--dry-run`: the node would be archived.
  case wouldArchive = "would archive"
  /// restore `--dry-run`: a folder would be created.
  case create
  /// restore: a folder was created.
  case created
  /// restore: a folder that already existed; its metadata is applied.
  case exists
  /// restore `--dry-run`: a file would be uploaded.
  case upload
  /// restore: a file was uploaded.
  case uploaded
  /// restore `--dry-run` with `--on-conflict overwrite`: a file would replace the server's.
  case overwrite
  /// restore: a file replaced the server's.
  case overwritten
  /// restore `--dry-run` with `--on-conflict rename`: a node would go up under a new name.
  case rename
  /// restore: a node went up under a new name (the event's path is that name).
  case renamed
  /// restore `--dry-run`: the server's file differs from the archive and would be kept.
  case differs
  /// verify: a member's bytes match the manifest.
  case verified

  /// What was done, for a planned action (`upload` → `uploaded`); others are themselves.
  public var done: NodeAction {
    switch self {
    case .create: .created
    case .upload: .uploaded
    case .overwrite: .overwritten
    case .rename: .renamed
    default: self
    }
  }
}

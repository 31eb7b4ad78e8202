// CellarCore: a node restore has put in place, on its way to being checked and given its metadata.

/// A folder or file now on the server (or skipped as identical), with what is still to do: learn
/// its new Uuid, check its content, write its metadata back.
struct RestoredNode: Sendable {
  /// Its Cells path on the server.
  var target: String
  /// Whether it is a folder.
  var isFolder: Bool
  /// For a file restore uploaded: the digests of the bytes sent, to check against the server.
  var uploaded: ArchiveCursor.Digests?
  /// The manifest's `x-cells-hash`, when it has one.
  var expectedContentHash: String?
  /// The manifest's SHA-256, when it has one.
  var expectedSHA256: String?
  /// The metadata to write back.
  var metas: [ManifestNode.Meta]

  /// Whether anything is left to do once it is on the server.
  var needsFinishing: Bool { uploaded != nil || !metas.isEmpty }
}

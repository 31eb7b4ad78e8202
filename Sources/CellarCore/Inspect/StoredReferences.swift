// CellarCore: `cellar verify FULL INC1 INC2`: the files of the last state whose bytes one earlier
// archive of the chain holds, checked as that archive's members go by.

/// The files of a chain's last state whose bytes are members of one earlier archive.
///
/// Holds the keys of those members (`ManifestIndex.memberKey`, 8 bytes each, so that members
/// no node takes are passed without a lookup) and an index over the last manifest that finds
/// their nodes by member path; the manifest itself is never loaded whole.
struct StoredReferences {
  /// The SHA-256 the last manifest records for the earlier archive.
  let sha256: String
  /// Keys of the members the last state takes bytes from.
  let keys: Set<Int>
  /// The nodes concerned, looked up by member path.
  let index: ManifestIndex

  /// The references of `manifest` to the archive with SHA-256 `sha256`; nil when there are none.
  static func load(manifest: ManifestSource, sha256: String) async throws -> StoredReferences? {
    let scan = ManifestIndex(source: manifest, part: .stored(sha256: sha256))
    var keys: Set<Int> = []
    while true {
      let batch = try await scan.nextUnclaimed(upTo: 512)
      if batch.isEmpty { break }
      for node in batch { keys.insert(ManifestIndex.memberKey(node.memberPath, isFolder: false)) }
    }
    guard !keys.isEmpty else { return nil }
    return StoredReferences(
      sha256: sha256, keys: keys, index: ManifestIndex(source: manifest, part: .stored(sha256: sha256)))
  }

  /// Whether the last state takes the bytes of the file member `path`.
  func concerns(_ path: String) -> Bool {
    keys.contains(ManifestIndex.memberKey(path, isFolder: false))
  }
}

// CellarCore: the manifest record the archive stage writes for each node.
import CellsKit

extension Archiver {
  /// The record of `node` as archived now: `file` is what was downloaded (nil for a folder).
  func record(
    _ entry: BackupEntry, node: TreeNode, file: ArchivedFile?, versions: [ManifestNode.Version]? = nil
  ) -> ManifestNode {
    for key in node.metaStore.keys where key.hasPrefix("usermeta-") { namespaces.insert(key) }
    for meta in entry.userMeta where meta.namespace.hasPrefix("usermeta-") { namespaces.insert(meta.namespace) }
    return ManifestNode(
      path: node.path, type: node.isFolder ? ManifestNode.folderType : ManifestNode.fileType, uuid: node.uuid,
      size: file?.size, mtime: node.mtime, etag: file == nil || node.etag.isEmpty ? nil : node.etag,
      contentHash: file == nil ? nil : node.contentHash, sha256: file?.sha256, check: file?.check?.rawValue,
      wholeContentHash: file.flatMap { $0.digests.cellsHash == node.contentHash ? nil : $0.digests.cellsHash },
      metaStore: node.metaStore,
      userMeta: entry.userMeta.isEmpty ? nil : entry.userMeta, versions: versions, movedFrom: entry.movedFrom)
  }

  /// The record of a file unchanged since the base: the node as listed now (its metadata may
  /// have changed), the base's checksum, and where the bytes are (`base.stored`, set by the walk
  /// stage).
  func unchanged(_ entry: BackupEntry, base: ManifestNode) -> ManifestNode {
    var node = record(entry, node: entry.node, file: nil)
    node.size = entry.node.size
    node.etag = entry.node.etag
    node.contentHash = entry.node.contentHash ?? base.contentHash
    node.sha256 = base.sha256
    node.stored = base.stored
    return node
  }
}

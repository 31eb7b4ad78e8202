// CellarCore: `cellar verify --remote`: the manifest against the live server, walked the way the
// backup walked it (same sources, same context), in step with the manifest's own order.
import CellsKit

/// Compares a manifest with the server: nodes missing since the backup, changed (type, size or
/// `x-cells-hash`), or added.
struct RemoteComparison {
  let header: ManifestHeader
  let manifest: ManifestSource
  let connection: CellsConnection
  let tracker: ProgressTracker

  /// Walks the manifest's sources on the server and reports each difference on the tracker.
  func run() async throws {
    let context: TreeWalker.Context = header.context == TreeWalker.Context.admin.rawValue ? .admin : .user
    // Recycle bins are walked too: nodes in them are compared when the backup kept them, and a
    // bin's new content is not reported as added.
    let walker = TreeWalker(
      client: connection.rest, s3: context == .user ? connection.s3 : nil, context: context, parallelism: 4,
      includeRecycleBin: true)
    let index = ManifestIndex(source: manifest)
    for source in header.sources {
      try await walker.walk(
        source,
        unreadable: { folder, error in
          tracker.report(.warning(path: folder, message: "cannot list this folder on the server: \(error)"))
        },
        visit: { live in
          // A shard's manifest answers for the nodes of its shard only.
          if let shard = header.shard,
            !shard.takes(path: CellsPath(source).relative(CellsPath(live.path)) ?? live.path)
          {
            return true
          }
          guard let node = try await index.node(for: live.path) else {
            if !Self.isInRecycleBin(live.path, context: context) {
              tracker.fail(VerifyProblem(.remote, live.path, "added on the server since the backup"))
            }
            return true
          }
          compare(node, live)
          return true
        })
    }
    while let node = try await index.nextUnclaimed() {
      tracker.fail(VerifyProblem(.remote, node.path, "missing on the server (deleted or moved since the backup)"))
    }
  }

  private func compare(_ node: ManifestNode, _ live: TreeNode) {
    var changes: [String] = []
    if node.isFolder != live.isFolder {
      changes.append(live.isFolder ? "now a folder" : "now a file")
    } else if !live.isFolder {
      if let size = node.size, size != live.size { changes.append("size \(size) → \(live.size)") }
      if let recorded = node.contentHash, let now = live.contentHash, recorded != now {
        changes.append("x-cells-hash \(recorded) → \(now)")
      }
    }
    if changes.isEmpty {
      tracker.report(
        .node(NodeEvent(path: live.path, kind: NodeKind(isFolder: node.isFolder), size: node.size, action: .unchanged)))
    } else {
      tracker.fail(VerifyProblem(.remote, live.path, "changed since the backup: \(changes.joined(separator: ", "))"))
    }
  }

  /// Whether `path` lies in a recycle bin (`ws/recycle_bin/…`; in the admin tree also
  /// `personal/NAME/recycle_bin/…`), which a backup leaves out unless asked.
  static func isInRecycleBin(_ path: String, context: TreeWalker.Context) -> Bool {
    let parts = CellsPath(path).segments
    if parts.count >= 2, parts[1] == "recycle_bin" { return true }
    return context == .admin && parts.count >= 3 && parts[0] == "personal" && parts[2] == "recycle_bin"
  }
}

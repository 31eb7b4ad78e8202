// CellarCore: the nodes a backup covers, walked in a stable order, filtered, with their S3 keys
// and user metadata, batched so that metadata costs one request per 200 nodes.
import CellsKit

/// Walks every source of a backup and hands each kept node to `visit`, in walk order.
struct BackupSources: Sendable {
  /// A node to archive, with where its bytes are and its user metadata.
  struct Item: Sendable {
    var node: TreeNode
    /// The S3 key (workspace path) of its bytes; nil when no readable workspace maps it.
    var key: String?
    var userMeta: [ManifestNode.Meta]
  }

  let options: BackupOptions
  let connection: CellsConnection
  let mapping: WorkspaceMapping?
  let tracker: ProgressTracker
  let failures: FailureLog

  /// The sources without leading or trailing slashes ("" for everything).
  static func normalized(_ sources: [String]) -> [String] {
    sources.map { CellsPath($0).string }
  }

  /// Walks the sources; `visit` is awaited for each kept node, in order.
  func walk(_ visit: (Item) async throws -> Void) async throws {
    let filter = try PathFilter(include: options.include, exclude: options.exclude)
    let walker = TreeWalker(
      client: connection.rest, s3: options.context == .user ? connection.s3 : nil, context: options.context,
      parallelism: 8, includeRecycleBin: options.includeRecycleBin)
    var batch: [TreeNode] = []
    for source in Self.normalized(options.sources) {
      try await walker.walk(
        source,
        unreadable: { folder, error in failures.add(folder, "cannot list this folder: \(error)") },
        visit: { node in
          let relative = CellsPath(source).relative(CellsPath(node.path)) ?? node.path
          guard relative.isEmpty || filter.keeps(relative, isFolder: node.isFolder) else {
            tracker.update { $0.skipped += 1 }
            return false
          }
          // A folder of another shard is walked for what it holds, not archived.
          if let shard = options.shard, !shard.takes(path: relative) { return true }
          batch.append(node)
          if batch.count >= 200 { try await flush(&batch, visit) }
          return true
        })
    }
    try await flush(&batch, visit)
  }

  private func flush(_ batch: inout [TreeNode], _ visit: (Item) async throws -> Void) async throws {
    guard !batch.isEmpty else { return }
    let metas = await userMeta(of: batch)
    for node in batch {
      let key = options.context == .user ? node.path : mapping?.userPath(forAdminPath: node.path)
      try await visit(Item(node: node, key: key, userMeta: metas[node.uuid] ?? []))
    }
    batch.removeAll(keepingCapacity: true)
  }

  /// User metadata by node Uuid.
  ///
  /// A failed lookup is a warning: the MetaStore still holds the
  /// `usermeta-*` values, only bookmarks would be missing.
  private func userMeta(of nodes: [TreeNode]) async -> [String: [ManifestNode.Meta]] {
    let uuids = nodes.map(\.uuid).filter { !$0.isEmpty && !$0.hasPrefix("DATASOURCE:") && $0 != "ROOT" }
    guard !uuids.isEmpty else { return [:] }
    do {
      var byNode: [String: [ManifestNode.Meta]] = [:]
      for meta in try await connection.rest.userMeta(forNodes: uuids) {
        byNode[meta.nodeUuid, default: []].append(.init(namespace: meta.namespace, jsonValue: meta.jsonValue))
      }
      return byNode
    } catch {
      tracker.report(
        .warning(path: nodes.first?.path, message: "user metadata not read (bookmarks may be missing): \(error)"))
      return [:]
    }
  }
}

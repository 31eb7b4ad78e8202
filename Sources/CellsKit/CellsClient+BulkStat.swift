// CellsKit: many nodes stated in one call (`POST /a/tree/stats` with plain paths), as restore
// needs to learn the new Uuids of what it uploaded.

extension CellsClient {
  /// The nodes at `paths`, `batchSize` paths per request; paths that do not exist are left out
  /// (docs/cells-protocol.md, "Listing and stat"), so the answer may be shorter than the question.
  public func stat(paths: [String], batchSize: Int = 100) async throws -> [TreeNode] {
    var nodes: [TreeNode] = []
    for start in stride(from: 0, to: paths.count, by: batchSize) {
      let batch = paths[start..<min(start + batchSize, paths.count)].map { CellsPath($0).string }
      let request = BulkMetaRequest(nodePaths: batch, limit: nil, offset: nil)
      nodes +=
        try await call(
          "stat", path: "/a/tree/stats", about: batch.first ?? "", body: request, as: BulkMetaResponse.self
        )
        .nodes ?? []
    }
    return nodes
  }
}

// CellsKit: the admin view of the datasources (`/a/tree/admin/*`), unfiltered.

extension CellsClient {
  /// The children of the admin path `path` ("/" for the datasources, "pydiods1/folder" below),
  /// `.pydio` markers, dot-files and recycle bins included, as the server sends them.
  public func adminList(_ path: String, recursive: Bool = false) async throws -> [TreeNode] {
    let trimmed = Self.trimSlashes(path)
    let request = AdminListRequest(
      node: NodeReference(path: trimmed.isEmpty ? "/" : trimmed), recursive: recursive ? true : nil)
    return try await call(
      "admin list", path: "/a/tree/admin/list", about: path, body: request, as: NodesCollection.self
    )
    .children ?? []
  }

  /// The admin node at `path`, or nil when it does not exist.
  public func adminStat(_ path: String) async throws -> TreeNode? {
    let request = AdminStatRequest(node: NodeReference(path: Self.trimSlashes(path)))
    do {
      return try await call(
        "admin stat", path: "/a/tree/admin/stat", about: path, body: request, as: ReadNodeResponse.self
      )
      .node
    } catch CellsAPIError.notFound {
      return nil
    }
  }
}

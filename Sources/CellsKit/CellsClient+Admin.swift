// CellsKit: the admin view of the datasources (`/a/tree/admin/*`), unfiltered.

extension CellsClient {
  /// The children of the admin path `path` ("/" for the datasources, "pydiods1/folder" below),
  /// `.pydio` markers, dot-files and recycle bins included, as the server sends them.
  ///
  /// Children are asked for `pageSize` at a time until a page comes back short. Whether every
  /// index honours `Limit`/`Offset` is unconfirmed (docs/cells-protocol.md, "Admin tree"), so a
  /// page that brings no new Uuid also ends the listing instead of looping.
  public func adminList(_ path: String, recursive: Bool = false, pageSize: Int = 1000) async throws -> [TreeNode] {
    let trimmed = CellsPath(path).string
    var children: [TreeNode] = []
    var seen: Set<String> = []
    var offset: Int64 = 0
    while true {
      let request = AdminListRequest(
        node: NodeReference(path: trimmed.isEmpty ? "/" : trimmed), recursive: recursive ? true : nil,
        limit: WireInt64(Int64(pageSize)), offset: WireInt64(offset))
      let page =
        try await call(
          "admin list", path: "/a/tree/admin/list", about: path, body: request, as: NodesCollection.self,
          limit: Self.pageAnswerLimit
        )
        .children ?? []
      offset += Int64(page.count)
      let fresh = page.filter { seen.insert($0.uuid).inserted }
      children += fresh
      if page.count < pageSize || fresh.isEmpty { return children }
    }
  }

  /// The admin node at `path`, or nil when it does not exist.
  public func adminStat(_ path: String) async throws -> TreeNode? {
    let request = AdminStatRequest(node: NodeReference(path: CellsPath(path).string))
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

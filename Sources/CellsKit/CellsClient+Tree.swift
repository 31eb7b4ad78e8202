// CellsKit: reading and changing the user-context tree (`/a/tree/*`, `/a/meta/bulk/get`).
import S3Kit

extension CellsClient {
  /// The server's version, from `/a/config/discovery` (empty when the server hides it).
  public func serverVersion() async throws -> String {
    try await call("discovery", method: "GET", path: "/a/config/discovery", about: "", as: DiscoveryResponse.self)
      .version ?? ""
  }

  /// The node at `path` ("workspace/folder/file"), or nil when it does not exist.
  public func stat(_ path: String) async throws -> TreeNode? {
    do {
      let encoded = "/a/tree/stat/" + Self.encodePath(path)
      return try await call("stat", method: "GET", path: encoded, about: path, as: HeadNodeResponse.self).node
    } catch CellsAPIError.notFound {
      return nil
    }
  }

  /// The workspaces the user sees, as root folder nodes (`NodePaths: ["/*"]`).
  public func workspaces() async throws -> [TreeNode] {
    let request = BulkMetaRequest(nodePaths: ["/*"], limit: nil, offset: nil)
    return try await call(
      "list workspaces", path: "/a/tree/stats", about: "/", body: request, as: BulkMetaResponse.self
    )
    .nodes ?? []
  }

  /// The old versions of the file at `path`, newest first as the server sends them.
  ///
  /// They come as clones of the file node with that version's size, mtime and ETag, and its id in
  /// `MetaStore["versionId"]` (docs/cells-protocol.md, "Versions"). Empty when the datasource keeps no versions.
  public func versions(of path: String) async throws -> [TreeNode] {
    let request = BulkMetaRequest(nodePaths: [CellsPath(path).string], limit: 0, versions: true)
    return try await call("list versions", path: "/a/tree/stats", about: path, body: request, as: BulkMetaResponse.self)
      .nodes ?? []
  }

  /// Lists the children of the folder `path`, handing them to `page` one page at a time.
  ///
  /// Pages of `pageSize` are requested with `Offset += Limit` until the server's pagination says
  /// the folder is done, or a page comes back empty. When the server skips hidden files it reads
  /// ahead and may repeat, on the next page, children it already sent: those are dropped, by
  /// Uuid. Only the previous page's Uuids are kept, so memory does not grow with the folder.
  /// Dot-files are not among the children (REST hides them; list them over S3).
  public func listFolder(_ path: String, pageSize: Int = 500, page: ([TreeNode]) async throws -> Void)
    async throws
  {
    let folder = CellsPath(path).string
    var offset: Int32 = 0
    var previous: Set<String> = []
    while true {
      let request = BulkMetaRequest(nodePaths: [folder + "/*"], limit: Int32(pageSize), offset: offset)
      let response = try await call(
        "list", path: "/a/tree/stats", about: folder, body: request, as: BulkMetaResponse.self,
        limit: Self.pageAnswerLimit)
      let nodes = response.nodes ?? []
      let fresh = nodes.filter { $0.uuid.isEmpty || !previous.contains($0.uuid) }
      if !fresh.isEmpty { try await page(fresh) }
      guard let pagination = response.pagination, !nodes.isEmpty else { return }
      if let current = pagination.currentPage, let total = pagination.totalPages, total > 0, current >= total {
        return
      }
      previous = Set(nodes.map(\.uuid))
      offset += Int32(pageSize)
    }
  }

  /// Creates folders (and their missing parents), `batchSize` per request.
  public func createFolders(_ paths: [String], batchSize: Int = 100) async throws {
    for start in stride(from: 0, to: paths.count, by: batchSize) {
      let batch = paths[start..<min(start + batchSize, paths.count)]
      let request = CreateNodesRequest(
        nodes: batch.map { NodeReference(path: CellsPath($0).string, type: .collection) }, recursive: false)
      _ = try await call(
        "create folders", path: "/a/tree/create", about: batch.first ?? "", body: request, as: NodesCollection.self)
    }
  }

  /// Deletes nodes: into their workspace's recycle bin, or for good when `permanently`.
  public func delete(_ paths: [String], permanently: Bool = false) async throws {
    let request = DeleteNodesRequest(
      nodes: paths.map { NodeReference(path: CellsPath($0).string) }, recursive: true,
      removePermanently: permanently ? true : nil)
    _ = try await call(
      "delete", path: "/a/tree/delete", about: paths.first ?? "", body: request, as: IgnoredResponse.self)
  }

  /// Restores nodes from a recycle bin to where they were deleted from.
  public func restoreFromRecycleBin(_ paths: [String]) async throws {
    let request = RestoreNodesRequest(nodes: paths.map { NodeReference(path: CellsPath($0).string) })
    _ = try await call(
      "restore", path: "/a/tree/restore", about: paths.first ?? "", body: request, as: IgnoredResponse.self)
  }

  /// A Cells path percent-encoded for use in a URL path, "/" kept (the same encoding as S3 keys).
  static func encodePath(_ path: String) -> String {
    S3Path.encodeKey(CellsPath(path).string)
  }
}

// CellsKit: reading and writing user metadata (`/a/user-meta/*`).

extension CellsClient {
  private struct NamespaceList: Codable {
    var operation: String?
    var namespaces: [UserMetaNamespace]?
    enum CodingKeys: String, CodingKey { case operation = "Operation", namespaces = "Namespaces" }
  }

  private struct MetaUpdate: Encodable {
    var operation: String
    var metaDatas: [UserMeta]
    enum CodingKeys: String, CodingKey { case operation = "Operation", metaDatas = "MetaDatas" }
  }

  private struct MetaSearch: Encodable {
    var nodeUuids: [String]
    enum CodingKeys: String, CodingKey { case nodeUuids = "NodeUuids" }
  }

  private struct MetaList: Decodable {
    var metadatas: [UserMeta]?
    enum CodingKeys: String, CodingKey { case metadatas = "Metadatas" }
  }

  /// The namespaces the user may read (`bookmark` is not one of them).
  public func userMetaNamespaces() async throws -> [UserMetaNamespace] {
    try await call(
      "list namespaces", method: "GET", path: "/a/user-meta/namespace", about: "", as: NamespaceList.self
    ).namespaces ?? []
  }

  /// Creates or updates namespace definitions (admin only).
  public func defineUserMetaNamespaces(_ namespaces: [UserMetaNamespace]) async throws {
    _ = try await call(
      "define namespaces", method: "PUT", path: "/a/user-meta/namespace",
      about: namespaces.map(\.namespace).joined(separator: ","),
      body: NamespaceList(operation: "PUT", namespaces: namespaces), as: NamespaceList.self)
  }

  /// Writes metadata values, `batchSize` per request.
  public func updateUserMeta(_ metas: [UserMeta], batchSize: Int = 100) async throws {
    for start in stride(from: 0, to: metas.count, by: batchSize) {
      let batch = Array(metas[start..<min(start + batchSize, metas.count)])
      _ = try await call(
        "update metadata", method: "PUT", path: "/a/user-meta/update", about: batch.first?.nodeUuid ?? "",
        body: MetaUpdate(operation: "PUT", metaDatas: batch), as: IgnoredResponse.self)
    }
  }

  /// The metadata the user may read on these nodes, bookmarks included, `batchSize` nodes per request.
  public func userMeta(forNodes uuids: [String], batchSize: Int = 200) async throws -> [UserMeta] {
    var metas: [UserMeta] = []
    for start in stride(from: 0, to: uuids.count, by: batchSize) {
      let batch = Array(uuids[start..<min(start + batchSize, uuids.count)])
      metas +=
        try await call(
          "search metadata", path: "/a/user-meta/search", about: batch.first ?? "", body: MetaSearch(nodeUuids: batch),
          as: MetaList.self
        ).metadatas ?? []
    }
    return metas
  }
}

// CellsKit: which workspace path reaches an admin (datasource) path, since the S3 gateway only
// knows workspace paths (docs/cells-protocol.md, "Workspaces and datasource paths").

/// Maps admin-context paths (`pydiods1/a/b.txt`) to user-context paths (`common-files/a/b.txt`)
/// through the workspaces the caller can read.
public struct WorkspaceMapping: Sendable {
  /// A workspace whose root is a fixed admin path.
  public struct Root: Sendable, Equatable {
    /// The workspace slug.
    public var slug: String
    /// The admin path of its root ("pydiods1", or "pydiods1/sub/folder").
    public var adminPath: String
  }

  /// The roots, longest admin path first, so the most specific workspace wins.
  public let roots: [Root]

  /// A mapping over `roots`.
  public init(roots: [Root]) {
    self.roots = roots.sorted { $0.adminPath.utf8.count > $1.adminPath.utf8.count }
  }

  /// The user-context path that reaches `adminPath`, or nil when no readable workspace exposes
  /// it (typically another user's personal folder).
  public func userPath(forAdminPath adminPath: String) -> String? {
    let path = CellsPath(adminPath)
    for root in roots {
      if let below = CellsPath(root.adminPath).relative(path) { return CellsPath(root.slug).appending(below).string }
    }
    return nil
  }
}

extension CellsClient {
  private struct WorkspaceSearch: Encodable {
    struct Query: Encodable { var scope: String }
    var queries: [Query]
    var operation: String
    enum CodingKeys: String, CodingKey { case queries = "Queries", operation = "Operation" }
  }

  private struct WorkspaceCollection: Decodable {
    struct Workspace: Decodable {
      var slug: String?
      var rootNodes: [String: TreeNode]?
      enum CodingKeys: String, CodingKey { case slug = "Slug", rootNodes = "RootNodes" }
    }
    var workspaces: [Workspace]?
    enum CodingKeys: String, CodingKey { case workspaces = "Workspaces" }
  }

  /// The mapping from admin paths to workspace paths for the caller (`POST /a/workspace`).
  ///
  /// Template roots such as the per-user `my-files` are left out: they resolve differently for
  /// each user, and the admin tree shows them under `personal/<login>`.
  public func workspaceMapping() async throws -> WorkspaceMapping {
    let request = WorkspaceSearch(queries: [.init(scope: "ADMIN")], operation: "OR")
    let collection = try await call(
      "search workspaces", path: "/a/workspace", about: "", body: request, as: WorkspaceCollection.self)
    var roots: [WorkspaceMapping.Root] = []
    for workspace in collection.workspaces ?? [] {
      guard let slug = workspace.slug else { continue }
      for (uuid, node) in workspace.rootNodes ?? [:] where uuid.hasPrefix("DATASOURCE:") || node.path.contains("/") {
        roots.append(.init(slug: slug, adminPath: CellsPath(node.path).string))
      }
    }
    return WorkspaceMapping(roots: roots)
  }
}

// CellsSandbox: user-context paths (`<workspace-slug>/<path>`) and where they live.

/// A user-context path resolved to its workspace and datasource location.
struct UserPath {
  /// The workspace of the first segment.
  let workspace: Workspace
  /// The workspace root inside its datasource, for this user.
  let root: String
  /// The path below the workspace root ("" for the root itself).
  let relative: String

  var datasource: String { workspace.datasource }
  /// The path inside the datasource.
  var datasourcePath: String { Node.join(root, relative) }
  /// The user-context path, no leading or trailing slash.
  var contextPath: String { Node.join(workspace.slug, relative) }

  /// Resolves `path` for `user`; nil when the first segment is no workspace the user can read.
  ///
  /// Leading and trailing slashes are trimmed (docs/cells-protocol.md, "Wire format").
  static func resolve(_ path: String, for user: User, in workspaces: [Workspace]) -> UserPath? {
    let trimmed = trim(path)
    guard !trimmed.isEmpty else { return nil }
    let slug = trimmed.prefix { $0 != "/" }
    guard let ws = workspaces.first(where: { $0.slug == slug }), ws.canRead(user.login) else {
      return nil
    }
    let relative = String(trimmed.dropFirst(slug.count).drop { $0 == "/" })
    return UserPath(workspace: ws, root: ws.rootPath(for: user.login), relative: relative)
  }

  /// The user-context path of a datasource path inside this workspace.
  func contextPath(ofDatasourcePath path: String) -> String {
    if root.isEmpty { return Node.join(workspace.slug, path) }
    if path == root { return workspace.slug }
    return Node.join(workspace.slug, String(path.dropFirst(root.count + 1)))
  }

  static func trim(_ path: String) -> String {
    var s = Substring(path)
    while s.hasPrefix("/") { s = s.dropFirst() }
    while s.hasSuffix("/") { s = s.dropLast() }
    return String(s)
  }
}

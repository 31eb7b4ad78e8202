// CellsSandbox: the user-context tree endpoints (docs/cells-protocol.md, "Listing and stat").
import Foundation
import GRDB

extension RESTAPI {
  /// `POST /a/tree/stats` ≡ `POST /a/meta/bulk/get` (docs/cells-protocol.md, "Listing and stat").
  func bulkStats(_ user: User, _ body: [UInt8]) throws -> JSONValue {
    let input = try JSONInput(
      body: body,
      allowed: [
        "NodePaths", "AllMetaProviders", "Limit", "Offset", "Versions", "Filters", "SortField",
        "SortDirDesc",
      ], message: "restGetBulkMetaRequest")
    let paths = try input.strings("NodePaths")
    let limit = Int(try input.int("Limit") ?? 0)
    let offset = max(0, Int(try input.int("Offset") ?? 0))
    let versions = try input.bool("Versions")
    let typeFilter: NodeType? =
      switch try input.stringMap("Filters")["type"] {
      case "LEAF": .leaf
      case "COLLECTION": .collection
      default: nil
      }
    let workspaces = store.workspaces()
    let renderer = NodeRenderer(viewer: user, countsMarkers: faults.settings.countsFolderMarkers)
    return try store.read { db in
      var stated: [JSONValue] = []
      var listed: [JSONValue] = []
      var pagination: JSONValue?
      for raw in paths {
        let trimmed = UserPath.trim(raw)
        if versions {
          // Each given path is listed with its versions, newest first; none when its datasource
          // keeps no versions (docs/cells-protocol.md, "Versions").
          guard let location = UserPath.resolve(trimmed, for: user, in: workspaces),
            let node = try Store.node(db, ds: location.datasource, path: location.datasourcePath)
          else { continue }
          for row in try Row.fetchAll(
            db, sql: "SELECT * FROM versions WHERE node = ? ORDER BY position DESC", arguments: [node.uuid])
          {
            var version = node
            version.size = row["size"]
            version.mtime = row["mtime"]
            version.etag = row["etag"]
            version.meta["x-cells-hash"] = JSONValue.quoted(row["hash"])
            version.meta["versionId"] = JSONValue.quoted(row["id"])
            version.meta["versionDescription"] = JSONValue.quoted("Uploaded version")
            listed.append(try renderer.render(db, version, path: location.contextPath))
          }
          continue
        }
        if trimmed == "*" {
          for ws in workspaces where ws.canRead(user.login) {
            let root = try Store.node(db, ds: ws.datasource, path: ws.rootPath(for: user.login))
            listed.append(try renderer.renderWorkspace(db, ws, root: root))
          }
        } else if trimmed.hasSuffix("/*") {
          let folderPath = String(trimmed.dropLast(2))
          if faults.denies(folderPath) { throw SandboxError.forbidden("Access to \(folderPath) is denied") }
          guard let location = UserPath.resolve(folderPath, for: user, in: workspaces),
            try folderExists(db, location)
          else { throw SandboxError.notFound("Cannot find node \(folderPath)") }
          // The `.pydio` marker is storage plumbing: not counted in ChildrenCount, so it is not
          // in the paged window either (otherwise windows and Total disagree and the last
          // children of a folder could never be reached by Offset paging).
          var children = try Store.children(
            db, ds: location.datasource, path: location.datasourcePath
          ).filter { $0.name != folderMarkerName }
          if let typeFilter { children = children.filter { $0.type == typeFilter } }
          let (files, folders) = try Store.counts(
            db, ds: location.datasource, path: location.datasourcePath, countingMarker: renderer.countsMarkers)
          let total = typeFilter == .leaf ? files : typeFilter == .collection ? folders : files + folders
          let page = Self.page(children, limit: limit, offset: offset)
          for child in page {
            listed.append(
              try renderer.render(db, child, path: location.contextPath(ofDatasourcePath: child.path)))
          }
          if total > 0 && limit > 0 && page.count < total {
            pagination = Self.pagination(total: total, limit: limit, offset: offset)
          }
        } else {
          if faults.denies(trimmed) { throw SandboxError.forbidden("Access to \(trimmed) is denied") }
          // A plain path that does not exist is skipped silently (docs/cells-protocol.md, "Listing and stat").
          guard let location = UserPath.resolve(trimmed, for: user, in: workspaces) else { continue }
          if location.relative.isEmpty {
            let root = try Store.node(db, ds: location.datasource, path: location.datasourcePath)
            stated.append(try renderer.renderWorkspace(db, location.workspace, root: root))
          } else if let node = try Store.node(
            db, ds: location.datasource, path: location.datasourcePath)
          {
            stated.append(try renderer.render(db, node, path: location.contextPath))
          }
        }
      }
      var out = JSONObjectBuilder()
      out.array("Nodes", stated + listed)
      if let pagination { out.value("Pagination", pagination) }
      return out.object
    }
  }

  /// One page of children the way the Cells meta handler builds it: windows of `limit` raw children
  /// are read from `offset`; dot-files are dropped; while a window lost items to that filter and
  /// the page is short, the next window is read too.
  ///
  /// A page can so hold up to about 2×limit−1 nodes, and the next request (at offset+limit) repeats
  /// some of them (docs/cells-protocol.md, "Listing and stat").
  static func page(_ children: [Node], limit: Int, offset: Int) -> [Node] {
    let visible = { (node: Node) in !node.name.hasPrefix(".") }
    guard limit > 0 else { return children.filter(visible) }
    var out: [Node] = []
    var start = offset
    while start < children.count {
      let window = children[start..<min(start + limit, children.count)]
      let kept = window.filter(visible)
      out += kept
      start += limit
      if kept.count == window.count || out.count >= limit { break }
    }
    return out
  }

  /// `restPagination`: int32 fields as JSON numbers, zero values omitted.
  static func pagination(total: Int, limit: Int, offset: Int) -> JSONValue {
    let totalPages = (total + limit - 1) / limit
    let currentPage = offset / limit + 1
    var out = JSONObjectBuilder()
    out.int32("Limit", limit)
    out.int32("CurrentOffset", offset)
    out.int32("Total", total)
    out.int32("CurrentPage", currentPage)
    out.int32("TotalPages", totalPages)
    if currentPage < totalPages { out.int32("NextOffset", offset + limit) }
    if offset >= limit { out.int32("PrevOffset", offset - limit) }
    return out.object
  }

  func folderExists(_ db: Database, _ location: UserPath) throws -> Bool {
    if location.datasourcePath.isEmpty { return true }
    return try Store.node(db, ds: location.datasource, path: location.datasourcePath)?.type
      == .collection
  }

  /// `GET /a/tree/stat/{Node}` (docs/cells-protocol.md, "Listing and stat"): `{"Node": …}` or 404.
  func headNode(_ user: User, path: String) throws -> JSONValue {
    let workspaces = store.workspaces()
    let renderer = NodeRenderer(viewer: user, countsMarkers: faults.settings.countsFolderMarkers)
    if faults.denies(UserPath.trim(path)) { throw SandboxError.forbidden("Access to \(path) is denied") }
    return try store.read { db in
      guard let location = UserPath.resolve(path, for: user, in: workspaces) else {
        throw SandboxError.notFound("Cannot find node \(path)")
      }
      let node: JSONValue
      if location.relative.isEmpty {
        let root = try Store.node(db, ds: location.datasource, path: location.datasourcePath)
        node = try renderer.renderWorkspace(db, location.workspace, root: root)
      } else if let found = try Store.node(
        db, ds: location.datasource, path: location.datasourcePath)
      {
        node = try renderer.render(db, found, path: location.contextPath)
      } else {
        throw SandboxError.notFound("Cannot find node \(path)")
      }
      return .object([("Node", node)])
    }
  }

  /// Resolves a path the caller wants to change: it must be inside a workspace the caller can
  /// write, below its root.
  func writableLocation(_ path: String, user: User, workspaces: [Workspace]) throws -> UserPath {
    guard let location = UserPath.resolve(path, for: user, in: workspaces) else {
      throw SandboxError.notFound("Cannot find workspace for \(path)")
    }
    guard location.workspace.canWrite(user.login) else {
      throw SandboxError.forbidden("\(location.workspace.slug) is read-only for \(user.login)")
    }
    guard !location.relative.isEmpty else {
      throw SandboxError.forbidden("A workspace root cannot be changed")
    }
    return location
  }
}

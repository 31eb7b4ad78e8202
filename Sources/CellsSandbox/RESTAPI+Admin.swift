// CellsSandbox: the admin tree (docs/cells-protocol.md, "Admin tree"): datasource paths, nothing filtered.
import Foundation
import GRDB

extension RESTAPI {
  /// `POST /a/tree/admin/list`: `{"Parent", "Children"}`; datasources under "/", `.pydio`
  /// markers, dot-files and recycle bins all listed; `Recursive` gives every descendant.
  func adminList(_ user: User, _ body: [UInt8]) throws -> JSONValue {
    try requireAdmin(user)
    let input = try JSONInput(
      body: body,
      allowed: [
        "Node", "Recursive", "Ancestors", "WithVersions", "WithCommits", "Limit", "Offset",
        "FilterType", "StatFlags", "SortField", "SortDirDesc",
      ], message: "treeListNodesRequest")
    let path = UserPath.trim(try input.object("Node", allowed: treeNodeFields)?.string("Path") ?? "")
    let recursive = try input.bool("Recursive")
    let limit = Int(try input.int("Limit") ?? 0)
    let offset = max(0, Int(try input.int("Offset") ?? 0))
    let filter = try input.nodeType("FilterType")
    let datasources = try store.datasources()
    let renderer = NodeRenderer(viewer: user, countsMarkers: faults.settings.countsFolderMarkers)
    return try store.read { db in
      var out = JSONObjectBuilder()
      if path.isEmpty {
        out.value("Parent", .object([("Uuid", .string("ROOT")), ("Path", .string("/"))]))
        var children = datasources.map(NodeRenderer.renderDatasource)
        if recursive {
          children = []
          for ds in datasources {
            children.append(NodeRenderer.renderDatasource(ds))
            for node in try Store.descendants(db, ds: ds, path: "")
            where filter == nil || node.type == filter {
              children.append(try renderer.render(db, node, path: Node.join(ds, node.path)))
            }
          }
        }
        out.array("Children", Self.slice(children, limit: limit, offset: offset))
        return out.object
      }
      let (ds, inside) = try locateAdmin(path, datasources: datasources)
      if inside.isEmpty {
        out.value("Parent", NodeRenderer.renderDatasource(ds))
      } else {
        guard let parent = try Store.node(db, ds: ds, path: inside) else {
          throw SandboxError.notFound("Cannot find node \(path)")
        }
        out.value("Parent", try renderer.render(db, parent, path: path))
      }
      var nodes =
        recursive
        ? try Store.descendants(db, ds: ds, path: inside) : try Store.children(db, ds: ds, path: inside)
      if let filter { nodes = nodes.filter { $0.type == filter } }
      nodes = Self.slice(nodes, limit: limit, offset: offset)
      out.array(
        "Children", try nodes.map { try renderer.render(db, $0, path: Node.join(ds, $0.path)) })
      return out.object
    }
  }

  /// `POST /a/tree/admin/stat`: `{"Node", "Success": true}`, 404 when missing.
  func adminStat(_ user: User, _ body: [UInt8]) throws -> JSONValue {
    try requireAdmin(user)
    let input = try JSONInput(
      body: body, allowed: ["Node", "StatFlags", "WithExtendedStats", "ObjectStats", "WithCommits"],
      message: "treeReadNodeRequest")
    let path = UserPath.trim(try input.object("Node", allowed: treeNodeFields)?.string("Path") ?? "")
    let datasources = try store.datasources()
    let renderer = NodeRenderer(viewer: user, countsMarkers: faults.settings.countsFolderMarkers)
    return try store.read { db in
      let node: JSONValue
      if path.isEmpty {
        node = .object([("Uuid", .string("ROOT")), ("Path", .string("/"))])
      } else {
        let (ds, inside) = try locateAdmin(path, datasources: datasources)
        if inside.isEmpty {
          node = NodeRenderer.renderDatasource(ds)
        } else if let found = try Store.node(db, ds: ds, path: inside) {
          node = try renderer.render(db, found, path: path)
        } else {
          throw SandboxError.notFound("Cannot find node \(path)")
        }
      }
      return .object([("Node", node), ("Success", .bool(true))])
    }
  }

  /// Non-admins are refused with 403: whether Cells answers 401 or 403 is open
  /// (docs/cells-protocol.md, "Authentication"), and a policy refusal is a 403 elsewhere in Cells.
  func requireAdmin(_ user: User) throws {
    guard user.isAdmin else { throw SandboxError.forbidden("This API is reserved to administrators") }
  }

  private func locateAdmin(_ path: String, datasources: [String]) throws -> (String, String) {
    let ds = String(path.prefix { $0 != "/" })
    guard datasources.contains(ds) else { throw SandboxError.notFound("Cannot find node \(path)") }
    return (ds, String(path.dropFirst(ds.count).drop { $0 == "/" }))
  }

  static func slice<T>(_ items: [T], limit: Int, offset: Int) -> [T] {
    let start = min(offset, items.count)
    let end = limit > 0 ? min(start + limit, items.count) : items.count
    return Array(items[start..<end])
  }
}

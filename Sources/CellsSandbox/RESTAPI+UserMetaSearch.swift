// CellsSandbox: reading user metadata back (docs/cells-protocol.md, "User metadata"): search,
// bookmarks, tags.
import Foundation
import GRDB

extension RESTAPI {
  /// `POST /a/user-meta/search`: the metas the caller can read (bookmarks: their own only).
  func searchUserMeta(_ user: User, _ body: [UInt8]) throws -> JSONValue {
    let input = try JSONInput(
      body: body,
      allowed: ["MetaUuids", "NodeUuids", "Namespace", "ResourceSubjectOwner", "ResourceQuery"],
      message: "idmSearchUserMetaRequest")
    let metaUuids = Set(try input.strings("MetaUuids"))
    let nodeUuids = Set(try input.strings("NodeUuids"))
    let namespace = try input.string("Namespace") ?? ""
    let rows = try store.read { db in try Row.fetchAll(db, sql: "SELECT * FROM usermeta ORDER BY node, namespace") }
    let found: [JSONValue] = rows.compactMap { row in
      let (uuid, node, ns, owner): (String, String, String, String) = (
        row["uuid"], row["node"], row["namespace"], row["owner"]
      )
      if ns == Self.bookmarkNamespace && owner != user.login { return nil }
      if !metaUuids.isEmpty && !metaUuids.contains(uuid) { return nil }
      if !nodeUuids.isEmpty && !nodeUuids.contains(node) { return nil }
      if !namespace.isEmpty && namespace != ns { return nil }
      return Self.renderMeta(node, ns, row["value"], uuid: uuid)
    }
    var out = JSONObjectBuilder()
    out.array("Metadatas", found)
    return out.object
  }

  /// `POST /a/user-meta/bookmarks`: the caller's bookmarked nodes, by their first workspace path.
  func bookmarks(_ user: User, _ body: [UInt8]) throws -> JSONValue {
    _ = try JSONInput(body: body, allowed: ["All"], message: "idmUserMetaBookmarksRequest")
    let workspaces = store.workspaces()
    let renderer = NodeRenderer(viewer: user, countsMarkers: faults.settings.countsFolderMarkers)
    return try store.read { db in
      let uuids = try String.fetchAll(
        db, sql: "SELECT node FROM usermeta WHERE namespace = 'bookmark' AND owner = ? ORDER BY node",
        arguments: [user.login])
      var nodes: [JSONValue] = []
      for uuid in uuids {
        guard let node = try Store.node(db, uuid: uuid),
          let location = Self.location(of: node, user: user, workspaces: workspaces)
        else { continue }
        nodes.append(try renderer.render(db, node, path: location.contextPath))
      }
      var out = JSONObjectBuilder()
      out.array("Nodes", nodes)
      return out.object
    }
  }

  /// `GET /a/user-meta/tags/{ns}`, `POST` (add one), `DELETE …/{ns}/*` (clear; other values 501).
  func tags(_ user: User, method: String, rest: String, body: [UInt8]) throws -> JSONValue {
    let parts = rest.split(separator: "/", maxSplits: 1).map(String.init)
    guard let namespace = parts.first,
      try store.read({ db in
        try Row.fetchOne(db, sql: "SELECT 1 FROM namespaces WHERE namespace = ?", arguments: [namespace]) != nil
      })
    else { throw SandboxError.notFound("Namespace not found") }
    switch method {
    case "GET":
      let tags = try store.read { db in
        try String.fetchAll(db, sql: "SELECT tag FROM tags WHERE namespace = ? ORDER BY tag", arguments: [namespace])
      }
      var out = JSONObjectBuilder()
      out.array("Tags", tags.map { .string($0) })
      return out.object
    case "POST":
      let input = try JSONInput(body: body, allowed: ["Namespace", "Tag"], message: "restPutUserMetaTagRequest")
      guard let tag = try input.string("Tag"), !tag.isEmpty else { throw SandboxError.badInput("Tag is required") }
      try store.write { db in
        try db.execute(sql: "INSERT OR IGNORE INTO tags VALUES (?, ?)", arguments: [namespace, tag])
      }
      return .object([("Success", .bool(true))])
    case "DELETE":
      guard parts.count == 2, parts[1] == "*" else { throw SandboxError.notImplemented("Only * is supported") }
      try store.write { db in
        try db.execute(sql: "DELETE FROM tags WHERE namespace = ?", arguments: [namespace])
      }
      return .object([("Success", .bool(true))])
    default:
      throw SandboxError.notFound("No route")
    }
  }
}

// CellsSandbox: `tree.Node` JSON as the REST side writes it (docs/cells-protocol.md, "Node JSON and MetaStore").
import Foundation
import GRDB

/// The reserved key holding when a simulated indexing ends (Unix seconds); never emitted.
let indexedAtKey = "pydio:sandbox-indexed-at"

/// Writes nodes as protobuf-JSON `treeNode` objects: PascalCase, zero values left out, int64 as
/// strings, `pydio:*` keys stripped, folder counts and user metadata added to the MetaStore.
struct NodeRenderer {
  /// The caller, whose bookmarks (and only theirs) are shown.
  let viewer: User
  /// Whether folder counts include the `.pydio` marker (`FaultSettings.countsFolderMarkers`).
  var countsMarkers = false

  func render(_ db: Database, _ node: Node, path: String, counts: Bool = true) throws -> JSONValue {
    var meta = node.meta.filter { !$0.key.hasPrefix("pydio:") }
    var etag = node.etag
    // Until the simulated indexing ends, the upload looks as Cells shows it meanwhile.
    if let until = node.meta[indexedAtKey].flatMap(Double.init), until > Date().timeIntervalSince1970 {
      etag = "temporary"
      meta["x-cells-hash"] = nil
    }
    var size = node.size
    if node.type == .collection {
      size = try Store.folderSize(db, ds: node.datasource, path: node.path)
      if counts {
        let (files, folders) = try Store.counts(
          db, ds: node.datasource, path: node.path, countingMarker: countsMarkers)
        meta["ChildrenCount"] = String(files + folders)
        meta["ChildrenFiles"] = String(files)
        meta["ChildrenFolders"] = String(folders)
      }
    }
    for row in try Row.fetchAll(
      db.cachedStatement(sql: "SELECT namespace, value, owner FROM usermeta WHERE node = ?"),
      arguments: [node.uuid])
    {
      let namespace: String = row["namespace"]
      if namespace == "bookmark" && (row["owner"] as String) != viewer.login { continue }
      meta[namespace] = row["value"]
    }
    var out = JSONObjectBuilder()
    out.string("Uuid", node.uuid)
    out.string("Path", path)
    out.string("Type", node.type.jsonName)
    out.int64("Size", size)
    out.int64("MTime", node.mtime)
    out.string("Etag", etag)
    out.map("MetaStore", meta.sorted { $0.key < $1.key })
    return out.object
  }

  /// A workspace root as `/*` lists it: the root folder plus the `ws_*` decorations.
  func renderWorkspace(_ db: Database, _ ws: Workspace, root: Node?) throws -> JSONValue {
    let rootPath = ws.rootPath(for: viewer.login)
    var node =
      root
      ?? Node(
        uuid: "DATASOURCE:\(ws.datasource)", datasource: ws.datasource, path: rootPath,
        type: .collection, size: 0, mtime: 0, etag: "", blob: nil, meta: [:])
    node.meta["name"] = JSONValue.quoted(ws.slug)
    node.meta["ws_slug"] = JSONValue.quoted(ws.slug)
    node.meta["ws_label"] = JSONValue.quoted(ws.label)
    node.meta["ws_uuid"] = JSONValue.quoted(ws.uuid)
    node.meta["ws_scope"] = JSONValue.quoted("ADMIN")
    node.meta["ws_permissions"] = JSONValue.quoted(ws.permissions(for: viewer.login))
    node.meta["ws_syncable"] = "true"
    node.meta["ws_root"] = "true"
    return try render(db, node, path: ws.slug)
  }

  /// A datasource root in the admin tree: `DATASOURCE:<name>`, no type (docs/cells-protocol.md, "Admin tree").
  static func renderDatasource(_ name: String) -> JSONValue {
    var out = JSONObjectBuilder()
    out.string("Uuid", "DATASOURCE:\(name)")
    out.string("Path", name)
    out.map("MetaStore", [("name", JSONValue.quoted(name))])
    return out.object
  }
}

// CellsSandbox: `POST /a/workspace`: workspaces and their datasource roots
// (docs/cells-protocol.md, "Workspaces and datasource paths").
import Foundation
import GRDB

extension RESTAPI {
  /// Searches workspaces.
  ///
  /// Admins see all, others the ones they can read. Each carries `RootUUIDs` and `RootNodes` whose
  /// `Path` is the admin (datasource) path of the root; the per-user personal template root is
  /// `my-files`, as in Cells.
  func searchWorkspaces(_ user: User, _ body: [UInt8]) throws -> JSONValue {
    let input = try JSONInput(
      body: body, allowed: ["Queries", "ResourcePolicyQuery", "Operation", "Offset", "Limit", "GroupBy", "CountOnly"],
      message: "restSearchWorkspaceRequest")
    let queries = try input.objects(
      "Queries",
      allowed: [
        "uuid", "slug", "label", "description", "scope", "LastUpdated", "HasAttribute",
        "AttributeName", "AttributeValue", "not",
      ])
    let orOperation = (try input.string("Operation") ?? "OR") != "AND"
    var matching: [Workspace] = []
    for ws in store.workspaces() where user.isAdmin || ws.canRead(user.login) {
      let results = try queries.map { query -> Bool in
        var ok = true
        if let uuid = try query.string("uuid"), !uuid.isEmpty { ok = ok && ws.uuid == uuid }
        if let slug = try query.string("slug"), !slug.isEmpty { ok = ok && ws.slug == slug }
        if let label = try query.string("label"), !label.isEmpty { ok = ok && ws.label == label }
        if let scope = try query.string("scope"), !["", "ANY", "ADMIN"].contains(scope) { ok = false }
        return try query.bool("not") ? !ok : ok
      }
      if results.isEmpty || (orOperation ? results.contains(true) : results.allSatisfy { $0 }) {
        matching.append(ws)
      }
    }
    let rendered = try store.read { db in try matching.map { try renderWorkspace(db, $0) } }
    var out = JSONObjectBuilder()
    out.int32("Total", rendered.count)
    out.array("Workspaces", rendered)
    return out.object
  }

  private func renderWorkspace(_ db: Database, _ ws: Workspace) throws -> JSONValue {
    let rootID: String
    let rootPath: String
    if ws.root.contains("{login}") {
      (rootID, rootPath) = ("my-files", "my-files")
    } else if ws.root.isEmpty {
      (rootID, rootPath) = ("DATASOURCE:\(ws.datasource)", ws.datasource)
    } else {
      let node = try Store.node(db, ds: ws.datasource, path: ws.root)
      (rootID, rootPath) = (node?.uuid ?? ws.uuid, Node.join(ws.datasource, ws.root))
    }
    var out = JSONObjectBuilder()
    out.string("UUID", ws.uuid)
    out.string("Label", ws.label)
    out.string("Slug", ws.slug)
    out.string("Scope", "ADMIN")
    out.array("RootUUIDs", [.string(rootID)])
    out.value(
      "RootNodes", .object([(rootID, .object([("Uuid", .string(rootID)), ("Path", .string(rootPath))]))]))
    out.string("Attributes", "{}")
    return out.object
  }
}

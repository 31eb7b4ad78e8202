// CellsSandbox: user metadata (docs/cells-protocol.md, "User metadata"): namespaces, update, search, bookmarks, tags.
import Foundation
import GRDB

extension RESTAPI {
  /// The per-user reserved namespace, hidden from namespace listings (docs/cells-protocol.md, "User metadata").
  static let bookmarkNamespace = "bookmark"
  static let lockNamespace = "content_lock"
  private static let userMetaFields: Set<String> = [
    "Uuid", "NodeUuid", "Namespace", "JsonValue", "Policies", "PoliciesContextEditable",
    "ResolvedNode",
  ]

  // MARK: - Namespaces

  /// `GET /a/user-meta/namespace`: every namespace but `bookmark`.
  func listNamespaces(_ user: User) throws -> JSONValue {
    let rows = try store.read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM namespaces ORDER BY position")
    }
    var out = JSONObjectBuilder()
    out.array("Namespaces", rows.map(Self.renderNamespace))
    return out.object
  }

  /// `PUT /a/user-meta/namespace` (admin): create/replace or delete namespace definitions.
  func updateNamespaces(_ user: User, _ body: [UInt8]) throws -> JSONValue {
    try requireAdmin(user)
    let input = try JSONInput(
      body: body, allowed: ["Operation", "Namespaces"], message: "idmUpdateUserMetaNamespaceRequest")
    let delete = try Self.operationIsDelete(input)
    let items = try input.objects(
      "Namespaces",
      allowed: ["Namespace", "Label", "Order", "Indexable", "JsonDefinition", "Policies", "PoliciesContextEditable"])
    var written: [JSONValue] = []
    for item in items {
      guard let name = try item.string("Namespace"), name.hasPrefix("usermeta-") else {
        throw SandboxError.badInput("Namespace names must start with usermeta-")
      }
      if delete {
        try store.write { db in
          try db.execute(sql: "DELETE FROM namespaces WHERE namespace = ?", arguments: [name])
          try db.execute(sql: "DELETE FROM tags WHERE namespace = ?", arguments: [name])
        }
        continue
      }
      let definition = try item.string("JsonDefinition") ?? ""
      guard (try? JSONSerialization.jsonObject(with: Data(definition.utf8))) is [String: Any] else {
        throw SandboxError.badInput("Invalid JsonDefinition for \(name)")
      }
      var policies = Store.openPolicies
      if let given = item.fields["Policies"] as? [Any], !given.isEmpty {
        policies = String(decoding: try JSONSerialization.data(withJSONObject: given), as: UTF8.self)
      }
      try store.addNamespace(
        name, label: try item.string("Label") ?? name, definition: definition, policies: policies)
      let row = try store.read { db in
        try Row.fetchOne(db, sql: "SELECT * FROM namespaces WHERE namespace = ?", arguments: [name])
      }
      if let row { written.append(Self.renderNamespace(row)) }
    }
    var out = JSONObjectBuilder()
    out.array("Namespaces", written)
    return out.object
  }

  private static func renderNamespace(_ row: Row) -> JSONValue {
    var out = JSONObjectBuilder()
    out.string("Namespace", row["namespace"])
    out.string("Label", row["label"])
    out.int32("Order", row["position"])
    out.bool("Indexable", row["indexable"])
    out.string("JsonDefinition", row["definition"])
    let policies =
      (try? JSONSerialization.jsonObject(with: Data((row["policies"] as String).utf8))) as? [[String: Any]] ?? []
    out.array("Policies", policies.map(Self.renderPolicy))
    return out.object
  }

  private static func renderPolicy(_ policy: [String: Any]) -> JSONValue {
    var out = JSONObjectBuilder()
    for key in ["Action", "Effect", "Subject", "Resource", "Id"] {
      out.string(key, policy[key] as? String)
    }
    return out.object
  }

  // MARK: - Update

  /// `PUT /a/user-meta/update`, with the per-item checks in their order (docs/cells-protocol.md, "User metadata").
  func updateUserMeta(_ user: User, _ body: [UInt8]) throws -> JSONValue {
    let input = try JSONInput(
      body: body, allowed: ["Operation", "MetaDatas"], message: "idmUpdateUserMetaRequest")
    let delete = try Self.operationIsDelete(input)
    let items = try input.objects("MetaDatas", allowed: Self.userMetaFields)
    let workspaces = store.workspaces()
    var results: [JSONValue] = []
    try store.write { db in
      for item in items {
        guard let nodeUuid = try item.string("NodeUuid"), !nodeUuid.isEmpty else {
          throw SandboxError.badInput("NodeUuid is required")
        }
        let namespace = try item.string("Namespace") ?? ""
        let value = try item.string("JsonValue") ?? ""
        // 1. the node must exist (and be visible to the caller).
        guard let node = try Store.node(db, uuid: nodeUuid),
          let location = Self.location(of: node, user: user, workspaces: workspaces)
        else { throw SandboxError.notFound("Cannot find node \(nodeUuid)") }
        // 2. every namespace but bookmark needs write permission on the node.
        if namespace != Self.bookmarkNamespace && !location.workspace.canWrite(user.login) {
          throw SandboxError.forbidden("You are not allowed to edit this node")
        }
        // 3. content_lock is an ACL owned by the caller; the handler stops after it.
        if namespace == Self.lockNamespace {
          let holder = try String.fetchOne(
            db, sql: "SELECT owner FROM usermeta WHERE node = ? AND namespace = ?",
            arguments: [nodeUuid, namespace])
          if let holder, holder != user.login {
            throw SandboxError.locked("This file is locked by \(holder)")
          }
          try db.execute(
            sql: "DELETE FROM usermeta WHERE node = ? AND namespace = ?", arguments: [nodeUuid, namespace])
          if !delete {
            try Self.insertMeta(
              db, node: nodeUuid, namespace: namespace, value: JSONValue.quoted(user.login), owner: user.login)
          }
          results.append(Self.renderMeta(nodeUuid, namespace, JSONValue.quoted(user.login), uuid: nil))
          break
        }
        // 4. the namespace must exist; 5. its policies must let the caller write.
        var definition = ""
        if namespace != Self.bookmarkNamespace {
          guard
            let row = try Row.fetchOne(
              db.cachedStatement(sql: "SELECT * FROM namespaces WHERE namespace = ?"), arguments: [namespace])
          else { throw SandboxError.notFound("Namespace \(namespace) is not defined!") }
          guard Self.policiesAllowWrite(row["policies"], user: user) else {
            throw SandboxError.forbidden("Namespace \(namespace) is not writable")
          }
          definition = row["definition"]
        }
        // 7. an existing meta named by Uuid must exist.
        if let uuid = try item.string("Uuid"), !uuid.isEmpty,
          try Row.fetchOne(
            db.cachedStatement(sql: "SELECT uuid FROM usermeta WHERE uuid = ?"), arguments: [uuid]) == nil
        {
          throw SandboxError.notFound("Cannot find meta \(uuid)")
        }
        let owner = namespace == Self.bookmarkNamespace ? user.login : "*"
        let existing = try String.fetchOne(
          db.cachedStatement(
            sql: "SELECT uuid FROM usermeta WHERE node = ? AND namespace = ? AND (owner = ? OR ? = '*')"),
          arguments: [nodeUuid, namespace, user.login, owner])
        if delete {
          if let existing {
            try db.execute(sql: "DELETE FROM usermeta WHERE uuid = ?", arguments: [existing])
          }
          results.append(Self.renderMeta(nodeUuid, namespace, value, uuid: existing))
          continue
        }
        // 6. tags values are JSON strings whose comma-split parts join the namespace's tag list.
        if definition.contains("\"tags\"") {
          guard
            let text =
              (try? JSONSerialization.jsonObject(
                with: Data(value.utf8), options: [.fragmentsAllowed])) as? String
          else { throw SandboxError.badInput("Tags value must be a JSON string") }
          for tag in text.split(separator: ",") {
            try db.execute(
              sql: "INSERT OR IGNORE INTO tags VALUES (?, ?)",
              arguments: [namespace, tag.trimmingCharacters(in: .whitespaces)])
          }
        }
        let uuid = existing ?? UUID().uuidString.lowercased()
        try db.cachedStatement(sql: "DELETE FROM usermeta WHERE uuid = ?").execute(arguments: [uuid])
        try db.cachedStatement(sql: "INSERT INTO usermeta VALUES (?, ?, ?, ?, ?)").execute(
          arguments: [uuid, nodeUuid, namespace, value, namespace == Self.bookmarkNamespace ? user.login : "admin"])
        results.append(Self.renderMeta(nodeUuid, namespace, value, uuid: uuid))
      }
    }
    var out = JSONObjectBuilder()
    out.array("MetaDatas", results)
    return out.object
  }

  private static func insertMeta(_ db: Database, node: String, namespace: String, value: String, owner: String) throws {
    try db.execute(
      sql: "INSERT INTO usermeta VALUES (?, ?, ?, ?, ?)",
      arguments: [UUID().uuidString.lowercased(), node, namespace, value, owner])
  }

  static func renderMeta(_ node: String, _ namespace: String, _ value: String, uuid: String?) -> JSONValue {
    var out = JSONObjectBuilder()
    out.string("Uuid", uuid)
    out.string("NodeUuid", node)
    out.string("Namespace", namespace)
    out.string("JsonValue", value)
    return out.object
  }

  /// Whether a namespace's policies allow WRITE to `user`: an allow for `*`, `user:<login>`, or
  /// `profile:admin` for admins.
  static func policiesAllowWrite(_ json: String, user: User) -> Bool {
    let policies = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [[String: Any]] ?? []
    return policies.contains { policy in
      guard policy["Action"] as? String == "WRITE", (policy["Effect"] as? String ?? "allow") == "allow",
        let subject = policy["Subject"] as? String
      else { return false }
      return subject == "*" || subject == "user:\(user.login)" || (user.isAdmin && subject == "profile:admin")
    }
  }

  static func operationIsDelete(_ input: JSONInput) throws -> Bool {
    switch input.fields["Operation"] {
    case nil, is NSNull: return false
    case let name as String where name == "PUT": return false
    case let name as String where name == "DELETE": return true
    case let number as NSNumber: return number.intValue == 1
    default: throw SandboxError.badInput("Operation must be PUT or DELETE")
    }
  }

  /// The first workspace (in order) through which `user` can see `node`.
  static func location(of node: Node, user: User, workspaces: [Workspace]) -> UserPath? {
    for ws in workspaces where ws.datasource == node.datasource && ws.canRead(user.login) {
      let root = ws.rootPath(for: user.login)
      if root.isEmpty {
        return UserPath(workspace: ws, root: root, relative: node.path)
      }
      if node.path == root { return UserPath(workspace: ws, root: root, relative: "") }
      if node.path.hasPrefix(root + "/") {
        return UserPath(workspace: ws, root: root, relative: String(node.path.dropFirst(root.count + 1)))
      }
    }
    return nil
  }
}

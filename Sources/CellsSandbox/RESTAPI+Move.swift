// CellsSandbox: a sandbox-only move, standing in for Cells' asynchronous move job (`/n/action/move`,
// docs/cells-protocol.md, "Node identity"): the node and its subtree keep their Uuids, ETags and mtimes.
import Foundation

extension RESTAPI {
  /// `POST /a/sandbox/move` (admin): `{"From": "ws/a/x.txt", "To": "ws/b/y.txt"}` renames or
  /// moves a node within one datasource, creating the target's parent folders.
  func moveNode(_ user: User, _ body: [UInt8]) throws -> JSONValue {
    try requireAdmin(user)
    let input = try JSONInput(body: body, allowed: ["From", "To"], message: "sandboxMove")
    let workspaces = store.workspaces()
    let from = try writableLocation(try input.string("From") ?? "", user: user, workspaces: workspaces)
    let to = try writableLocation(try input.string("To") ?? "", user: user, workspaces: workspaces)
    guard from.datasource == to.datasource else { throw SandboxError.badInput("a move stays in one datasource") }
    let now = clock()
    try store.write { db in
      guard let node = try Store.node(db, ds: from.datasource, path: from.datasourcePath) else {
        throw SandboxError.notFound("Cannot find node \(from.datasourcePath)")
      }
      guard try Store.node(db, ds: to.datasource, path: to.datasourcePath) == nil else {
        throw SandboxError.internalError("\(to.datasourcePath) already exists")
      }
      try store.makeFolders(db, ds: to.datasource, path: Node.parent(of: to.datasourcePath), now: now)
      try Store.moveSubtree(db, node, to: to.datasourcePath)
    }
    return .object([("Success", .bool(true))])
  }
}

// CellsSandbox: creating, deleting and restoring nodes (docs/cells-protocol.md, "Tree changes and the recycle bin").
import Foundation
import GRDB

extension RESTAPI {
  /// `POST /a/tree/create`: folders with their parents; files get v4's one-space body.
  func createNodes(_ user: User, _ body: [UInt8]) throws -> JSONValue {
    let input = try JSONInput(
      body: body, allowed: ["Nodes", "Recursive", "TemplateUUID"], message: "restCreateNodesRequest")
    let requested = try input.objects("Nodes", allowed: treeNodeFields)
    guard !requested.isEmpty else { throw SandboxError.badInput("Please provide at least one node") }
    let workspaces = store.workspaces()
    let now = clock()
    var created: [(Node, UserPath)] = []
    for item in requested {
      let path = try item.string("Path") ?? ""
      let location = try writableLocation(path, user: user, workspaces: workspaces)
      let type = try item.nodeType("Type") ?? .leaf
      if type == .collection {
        let folder = try store.write { db in
          try store.makeFolders(
            db, ds: location.datasource, path: location.datasourcePath, now: now)
        }
        if let folder { created.append((folder, location)) }
      } else if let existing = try store.read({ db in
        try Store.node(db, ds: location.datasource, path: location.datasourcePath)
      }) {
        // What v4 does with an existing path is unconfirmed; leaving it alone is the safe reading
        // (docs/cells-protocol.md, "Tree changes and the recycle bin").
        created.append((existing, location))
      } else {
        let node = try store.putFile(
          ds: location.datasource, path: location.datasourcePath, bytes: Data(" ".utf8),
          mime: "application/octet-stream", now: now)
        created.append((node, location))
      }
    }
    let renderer = NodeRenderer(viewer: user, countsMarkers: faults.settings.countsFolderMarkers)
    return try store.read { db in
      var out = JSONObjectBuilder()
      out.array(
        "Children", try created.map { try renderer.render(db, $0.0, path: $0.1.contextPath) })
      return out.object
    }
  }

  /// `POST /a/tree/delete`: into the workspace's `recycle_bin`, or for good when asked, when
  /// the node already is in a recycle bin.
  ///
  /// Done at once; the job ids are for show.
  func deleteNodes(_ user: User, _ body: [UInt8]) throws -> JSONValue {
    let input = try JSONInput(
      body: body, allowed: ["Nodes", "Recursive", "RemovePermanently"],
      message: "restDeleteNodesRequest")
    let requested = try input.objects("Nodes", allowed: treeNodeFields)
    let permanently = try input.bool("RemovePermanently")
    let workspaces = store.workspaces()
    let now = clock()
    var jobs: [JSONValue] = []
    for item in requested {
      let path = try item.string("Path") ?? ""
      let location = try writableLocation(path, user: user, workspaces: workspaces)
      let inBin =
        location.relative == recycleBinName
        || location.relative.hasPrefix(recycleBinName + "/")
      let doomedBlobs = try store.write { db -> [String] in
        guard let node = try Store.node(db, ds: location.datasource, path: location.datasourcePath)
        else { throw SandboxError.notFound("Cannot find node \(path)") }
        jobs.append(
          .object([
            ("Uuid", .string("delete-\(node.uuid)")), ("Label", .string("Deleting \(path)")),
            ("NodeUuid", .string(node.uuid)),
          ]))
        if permanently || inBin { return try Store.deleteSubtree(db, node) }
        let bin = Node.join(location.root, recycleBinName)
        try store.makeFolders(db, ds: location.datasource, path: bin, now: now)
        var target = Node.join(bin, node.name)
        var suffix = 1
        while try Store.node(db, ds: location.datasource, path: target) != nil {
          target = Node.join(bin, "\(node.name)-\(suffix)")
          suffix += 1
        }
        var moved = node
        moved.meta["pydio:recycle_restore"] = JSONValue.quoted(node.path)
        try Store.moveSubtree(db, moved, to: target)
        return []
      }
      doomedBlobs.forEach { store.blobs.remove($0) }
    }
    var out = JSONObjectBuilder()
    out.array("DeleteJobs", jobs)
    return out.object
  }

  /// `POST /a/tree/restore`: back to the path kept when the node was recycled.
  func restoreNodes(_ user: User, _ body: [UInt8]) throws -> JSONValue {
    let input = try JSONInput(body: body, allowed: ["Nodes"], message: "restRestoreNodesRequest")
    let requested = try input.objects("Nodes", allowed: treeNodeFields)
    let workspaces = store.workspaces()
    let now = clock()
    var jobs: [JSONValue] = []
    for item in requested {
      let path = try item.string("Path") ?? ""
      let location = try writableLocation(path, user: user, workspaces: workspaces)
      try store.write { db in
        guard var node = try Store.node(db, ds: location.datasource, path: location.datasourcePath)
        else { throw SandboxError.notFound("Cannot find node \(path)") }
        guard let quoted = node.meta["pydio:recycle_restore"],
          let original =
            (try? JSONSerialization.jsonObject(
              with: Data(quoted.utf8), options: [.fragmentsAllowed])) as? String
        else { throw SandboxError.internalError("\(path) has no original location to restore to") }
        guard try Store.node(db, ds: location.datasource, path: original) == nil else {
          throw SandboxError.internalError("\(original) already exists")
        }
        try store.makeFolders(db, ds: location.datasource, path: Node.parent(of: original), now: now)
        node.meta["pydio:recycle_restore"] = nil
        try Store.moveSubtree(db, node, to: original)
        jobs.append(
          .object([
            ("Uuid", .string("restore-\(node.uuid)")), ("Label", .string("Restoring \(path)")),
            ("NodeUuid", .string(node.uuid)),
          ]))
      }
    }
    var out = JSONObjectBuilder()
    out.array("RestoreJobs", jobs)
    return out.object
  }
}

/// The per-workspace recycle folder (docs/cells-protocol.md, "Tree changes and the recycle bin").
let recycleBinName = "recycle_bin"

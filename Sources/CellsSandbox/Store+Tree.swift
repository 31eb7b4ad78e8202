// CellsSandbox: reading and changing the node tree, inside SQLite transactions.
import Foundation
import GRDB

/// The name of the folder marker a structured Cells datasource keeps in every folder; it holds
/// the folder's UUID and shows in admin listings and S3 listings
/// (docs/cells-protocol.md, "Dot-files and .pydio markers").
let folderMarkerName = ".pydio"

extension Store {
  // MARK: - Reads

  static func node(_ db: Database, ds: String, path: String) throws -> Node? {
    try Row.fetchOne(
      db.cachedStatement(sql: "SELECT * FROM nodes WHERE ds = ? AND path = ?"), arguments: [ds, path]
    ).map(Self.decode)
  }

  static func node(_ db: Database, uuid: String) throws -> Node? {
    try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM nodes WHERE uuid = ?"), arguments: [uuid])
      .map(Self.decode)
  }

  /// Direct children, ordered by path bytes (the order S3 listings need too).
  static func children(_ db: Database, ds: String, path: String) throws -> [Node] {
    try Row.fetchAll(
      db.cachedStatement(sql: "SELECT * FROM nodes WHERE ds = ? AND parent = ? ORDER BY path"),
      arguments: [ds, path]
    ).map(Self.decode)
  }

  /// Every node below `path` (not `path` itself), ordered by path bytes.
  static func descendants(_ db: Database, ds: String, path: String) throws -> [Node] {
    if path.isEmpty {
      return try Row.fetchAll(
        db, sql: "SELECT * FROM nodes WHERE ds = ? ORDER BY path", arguments: [ds]
      ).map(Self.decode)
    }
    return try Row.fetchAll(
      db,
      sql: "SELECT * FROM nodes WHERE ds = ? AND path >= ? AND path < ? ORDER BY path",
      arguments: [ds, path + "/", path + "0"]
    ).map(Self.decode)
  }

  /// Files and folders directly inside `path`, not counting the `.pydio` marker unless asked.
  static func counts(
    _ db: Database, ds: String, path: String, countingMarker: Bool = false
  ) throws -> (files: Int, folders: Int) {
    let row = try Row.fetchOne(
      db.cachedStatement(
        sql: """
          SELECT SUM(type = 1) AS files, SUM(type = 2) AS folders FROM nodes
          WHERE ds = ? AND parent = ? AND path != ?
          """), arguments: [ds, path, countingMarker ? "" : Node.join(path, folderMarkerName)])
    return ((row?["files"] as Int?) ?? 0, (row?["folders"] as Int?) ?? 0)
  }

  /// The cumulated size of the files below `path`, markers excluded.
  ///
  /// The descendants are the paths between "path/" and "path0" ("0" follows "/" in byte order),
  /// a range the (ds, path) index answers without reading the whole table.
  static func folderSize(_ db: Database, ds: String, path: String) throws -> Int64 {
    if path.isEmpty {
      return try Int64.fetchOne(
        db, sql: "SELECT COALESCE(SUM(size), 0) FROM nodes WHERE ds = ? AND type = 1 AND path NOT LIKE '%.pydio'",
        arguments: [ds]) ?? 0
    }
    return try Int64.fetchOne(
      db.cachedStatement(
        sql: """
          SELECT COALESCE(SUM(size), 0) FROM nodes WHERE ds = ? AND path >= ? AND path < ? AND type = 1
          AND path NOT LIKE '%/.pydio'
          """), arguments: [ds, path + "/", path + "0"]) ?? 0
  }

  private static func decode(_ row: Row) -> Node {
    let metaText: String = row["meta"]
    let meta =
      (try? JSONSerialization.jsonObject(with: Data(metaText.utf8))) as? [String: String] ?? [:]
    return Node(
      uuid: row["uuid"], datasource: row["ds"], path: row["path"],
      type: NodeType(rawValue: row["type"]) ?? .leaf, size: row["size"], mtime: row["mtime"],
      etag: row["etag"], blob: row["blob"], meta: meta)
  }

  // MARK: - Writes

  static func save(_ db: Database, _ node: Node) throws {
    // Written with our own JSON writer: JSONSerialization took several times longer (any JSON
    // object of strings reads back the same in `decode`).
    let metaText = JSONValue.object(node.meta.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })
      .serialized
    try db.cachedStatement(
      sql: """
        INSERT OR REPLACE INTO nodes(uuid, ds, path, parent, type, size, mtime, etag, blob, meta)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    ).execute(
      arguments: [
        node.uuid, node.datasource, node.path, node.parentPath, node.type.rawValue, node.size,
        node.mtime, node.etag, node.blob, metaText,
      ])
  }

  /// Creates the folder `path` and its missing parents (each with its `.pydio` marker) and returns
  /// it.
  ///
  /// Throws `typeConflict` when a segment is a file.
  @discardableResult
  func makeFolders(_ db: Database, ds: String, path: String, now: Int64) throws -> Node? {
    guard !path.isEmpty else { return nil }
    var current = ""
    var last: Node?
    for segment in path.split(separator: "/", omittingEmptySubsequences: false) {
      current = Node.join(current, String(segment))
      if let existing = try Self.node(db, ds: ds, path: current) {
        guard existing.type == .collection else {
          throw SandboxError.typeConflict("\(ds)/\(current) is a file, not a folder")
        }
        last = existing
        continue
      }
      let folder = Node(
        uuid: UUID().uuidString.lowercased(), datasource: ds, path: current, type: .collection,
        size: 0, mtime: now, etag: "", blob: nil, meta: ["name": JSONValue.quoted(String(segment))])
      try Self.save(db, folder)
      try writeMarker(db, for: folder, now: now)
      last = folder
    }
    return last
  }

  /// The `.pydio` marker of a folder: a small file holding the folder UUID.
  private func writeMarker(_ db: Database, for folder: Node, now: Int64) throws {
    let temporary = blobs.temporaryFile()
    let bytes = Data(folder.uuid.utf8)
    try bytes.write(to: temporary)
    let blob = try blobs.commit(temporary)
    try Self.save(
      db,
      Node(
        uuid: UUID().uuidString.lowercased(), datasource: folder.datasource,
        path: Node.join(folder.path, folderMarkerName), type: .leaf, size: Int64(bytes.count),
        mtime: now, etag: try HashKitBridge.md5Hex(bytes), blob: blob,
        meta: ["name": JSONValue.quoted(folderMarkerName)]))
  }

  /// Deletes `node` and everything below it; returns the content ids to remove from disk once the
  /// transaction commits.
  static func deleteSubtree(_ db: Database, _ node: Node) throws -> [String] {
    let doomed =
      [node]
      + (node.type == .collection
        ? try descendants(db, ds: node.datasource, path: node.path) : [])
    var blobs: Set<String> = Set(doomed.compactMap(\.blob))
    for victim in doomed {
      blobs.formUnion(
        try String.fetchAll(db, sql: "SELECT blob FROM versions WHERE node = ?", arguments: [victim.uuid]))
      try db.execute(sql: "DELETE FROM nodes WHERE uuid = ?", arguments: [victim.uuid])
      try db.execute(sql: "DELETE FROM usermeta WHERE node = ?", arguments: [victim.uuid])
      try db.execute(sql: "DELETE FROM versions WHERE node = ?", arguments: [victim.uuid])
    }
    return Array(blobs)
  }

  /// Moves `node` and its subtree to `newPath` (same datasource), keeping every UUID.
  static func moveSubtree(_ db: Database, _ node: Node, to newPath: String) throws {
    let moving =
      [node]
      + (node.type == .collection
        ? try descendants(db, ds: node.datasource, path: node.path) : [])
    for var item in moving {
      item.path = newPath + item.path.dropFirst(node.path.count)
      if item.uuid == node.uuid {
        item.meta["name"] = JSONValue.quoted(item.name)
      }
      try save(db, item)
    }
  }
}

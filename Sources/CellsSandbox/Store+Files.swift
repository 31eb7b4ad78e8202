// CellsSandbox: storing file contents under a path (uploads, tree/create, seeds).
import Foundation
import GRDB

extension Store {
  /// What a finished upload brings to the index.
  struct FileContent {
    /// The temporary file holding the bytes (moved into the blob store).
    var file: URL
    var size: Int64
    /// The storage ETag (MD5 hex, or the multipart form).
    var etag: String
    /// The Cells content hash (docs/cells-protocol.md, "Content hash").
    var cellsHash: String
    var mime: String
  }

  /// Stores `content` at `path`: missing parent folders are created, an existing file keeps its
  /// UUID and gets the new content (its old bytes are deleted), a new path gets a new UUID.
  ///
  /// Throws `typeConflict` when `path` is a folder (docs/cells-protocol.md, "Uploads and indexing").
  func putFile(ds: String, path: String, content: FileContent, now: Int64) throws -> Node {
    let blob = try blobs.commit(content.file)
    do {
      let (node, oldBlob) = try write { db in
        try place(db, blob: blob, ds: ds, path: path, content: content, now: now)
      }
      blobs.remove(oldBlob)
      return node
    } catch {
      blobs.remove(blob)
      throw error
    }
  }

  /// Stores `content` at `path` as `putFile` does, committed together with the other uploads
  /// that arrive meanwhile (see `WriteBatcher`): the path of every S3 PutObject.
  func putFileBatched(ds: String, path: String, content: FileContent, now: Int64) async throws -> Node {
    let blob = try blobs.commit(content.file)
    do {
      let (node, oldBlob) = try await batcher.write { db in
        try self.place(db, blob: blob, ds: ds, path: path, content: content, now: now)
      }
      blobs.remove(oldBlob)
      return node
    } catch {
      blobs.remove(blob)
      throw error
    }
  }

  /// Points the file at `path` to `blob`; returns the node and the blob it no longer needs.
  private func place(
    _ db: Database, blob: String, ds: String, path: String, content: FileContent, now: Int64
  ) throws -> (Node, String?) {
    try makeFolders(db, ds: ds, path: Node.parent(of: path), now: now)
    var node: Node
    let existing = try Self.node(db, ds: ds, path: path)
    if let existing {
      guard existing.type == .leaf else {
        throw SandboxError.typeConflict("\(path) is a folder")
      }
      node = existing
    } else {
      node = Node(
        uuid: UUID().uuidString.lowercased(), datasource: ds, path: path, type: .leaf, size: 0,
        mtime: now, etag: "", blob: nil, meta: [:])
    }
    node.size = content.size
    node.mtime = now
    node.etag = content.etag
    node.blob = blob
    node.meta["name"] = JSONValue.quoted(node.name)
    node.meta["mime"] = JSONValue.quoted(content.mime)
    node.meta["x-cells-hash"] = JSONValue.quoted(content.cellsHash)
    try Self.save(db, node)
    guard try Self.isVersioned(db, ds: ds) else { return (node, existing?.blob) }
    // Versioned: the content stays as a version; old blobs are kept for their versions.
    let position =
      try Int.fetchOne(
        db.cachedStatement(sql: "SELECT COALESCE(MAX(position), 0) + 1 FROM versions WHERE node = ?"),
        arguments: [node.uuid]) ?? 1
    try db.cachedStatement(sql: "INSERT INTO versions VALUES (?, ?, ?, ?, ?, ?, ?, ?)").execute(
      arguments: [
        UUID().uuidString.lowercased(), node.uuid, blob, content.size, now, content.etag,
        content.cellsHash, position,
      ])
    return (node, nil)
  }

  /// Writes in-memory bytes as a file (tree/create's one-space body, seeds, markers).
  func putFile(ds: String, path: String, bytes: Data, mime: String, now: Int64) throws -> Node {
    let temporary = blobs.temporaryFile()
    try bytes.write(to: temporary)
    return try putFile(
      ds: ds, path: path,
      content: FileContent(
        file: temporary, size: Int64(bytes.count), etag: try HashKitBridge.md5Hex(bytes),
        cellsHash: try HashKitBridge.cellsHashHex(bytes), mime: mime),
      now: now)
  }
}

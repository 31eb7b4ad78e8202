// CellsSandbox: multipart uploads (docs/cells-protocol.md, "Multipart uploads and ETags").
import Foundation
import GRDB
import HashKit
import Hummingbird

extension S3Gateway {
  /// CreateMultipartUpload: records the upload and pre-creates the file's index entry with
  /// `Etag: "temporary"` (its size from `X-Amz-Meta-Pydio-Clear-Size` when given), as Cells does.
  func createUpload(_ s3: S3Request, user: User) throws -> Response {
    let location = try writableLocation(s3.key, user: user)
    let id = Store.randomToken()
    let now = clock()
    let declared = Int64(s3.header("x-amz-meta-pydio-clear-size") ?? "") ?? 0
    try store.write { db in
      var placeholder: String?
      if try Store.node(db, ds: location.datasource, path: location.datasourcePath) == nil {
        try store.makeFolders(
          db, ds: location.datasource, path: Node.parent(of: location.datasourcePath), now: now)
        let node = Node(
          uuid: UUID().uuidString.lowercased(), datasource: location.datasource,
          path: location.datasourcePath, type: .leaf, size: declared, mtime: now,
          etag: "temporary", blob: nil, meta: [:])
        var named = node
        named.meta["name"] = JSONValue.quoted(node.name)
        try Store.save(db, named)
        placeholder = node.uuid
      }
      try db.execute(
        sql:
          "INSERT INTO uploads(id, login, ds, path, key, mime, created, placeholder) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        arguments: [
          id, user.login, location.datasource, location.datasourcePath, s3.key, Self.mime(of: s3),
          now, placeholder,
        ])
    }
    return Self.xml(
      S3XML.header + "<InitiateMultipartUploadResult xmlns=\"\(S3XML.namespace)\">"
        + S3XML.element("Bucket", s3.bucket ?? "io") + S3XML.element("Key", s3.key)
        + S3XML.element("UploadId", id) + "</InitiateMultipartUploadResult>")
  }

  /// UploadPart: the part is stored with its MD5 and the MD5s of its 10 MiB blocks, which the
  /// final Cells hash is built from.
  func uploadPart(_ s3: S3Request, request: Request, user: User) async throws -> Response {
    guard let number = Int(s3.query["partNumber"] ?? ""), (1...10_000).contains(number) else {
      throw S3Error.invalidRequest("partNumber must be between 1 and 10000")
    }
    let upload = try self.upload(s3)
    let received = try await receiveBody(s3, request: request)
    let blob = try store.blobs.commit(received.file)
    let old = try store.write { db -> String? in
      guard try Row.fetchOne(db, sql: "SELECT id FROM uploads WHERE id = ?", arguments: [upload]) != nil
      else { throw S3Error.noSuchUpload }
      let old = try String.fetchOne(
        db, sql: "SELECT blob FROM parts WHERE upload = ? AND number = ?", arguments: [upload, number])
      try db.execute(
        sql: "INSERT OR REPLACE INTO parts VALUES (?, ?, ?, ?, ?, ?, ?)",
        arguments: [
          upload, number, received.result.size, received.result.md5, blob,
          received.result.blockDigests.joined(separator: ","), clock(),
        ])
      return old
    }
    store.blobs.remove(old)
    return Response(status: .ok, headers: [.eTag: "\"\(received.result.md5)\""])
  }

  /// CompleteMultipartUpload: checks the part list (known parts, ascending, 5 MiB but the last),
  /// joins the parts into the file and answers its ETag.
  ///
  /// The Cells hash is the MD5 of every part's 10 MiB block digests in order: equal to a single
  /// PUT's when parts are multiples of 10 MiB (docs/cells-protocol.md, "Content hash").
  func completeUpload(_ s3: S3Request, request: Request, user: User) async throws -> Response {
    let upload = try self.upload(s3)
    var body: [UInt8] = []
    for try await buffer in request.body {
      body += buffer.readableBytesView
      guard body.count < 4 << 20 else { throw S3Error.malformedXML }
    }
    let requested = try S3XML.completedParts(body)
    let (row, stored) = try store.read { db in
      (
        try Row.fetchOne(db, sql: "SELECT * FROM uploads WHERE id = ?", arguments: [upload]),
        try Row.fetchAll(db, sql: "SELECT * FROM parts WHERE upload = ? ORDER BY number", arguments: [upload])
      )
    }
    guard let row else { throw S3Error.noSuchUpload }
    let parts = Dictionary(uniqueKeysWithValues: stored.map { ($0["number"] as Int, $0) })
    var previous = 0
    var chosen: [Row] = []
    for (index, item) in requested.enumerated() {
      guard item.number > previous else { throw S3Error.invalidPartOrder }
      previous = item.number
      guard let part = parts[item.number], (part["etag"] as String) == item.etag else {
        throw S3Error.invalidPart
      }
      if index < requested.count - 1 && (part["size"] as Int64) < Self.minimumPartSize {
        throw S3Error.entityTooSmall
      }
      chosen.append(part)
    }
    let joined = store.blobs.temporaryFile()
    let partDigests = try MD5Accumulator()
    let blockDigests = try MD5Accumulator()
    var size: Int64 = 0
    do {
      _ = FileManager.default.createFile(atPath: joined.path, contents: nil)
      let output = try FileHandle(forWritingTo: joined)
      defer { try? output.close() }
      for part in chosen {
        try partDigests.add(hex: part["etag"])
        for digest in (part["blocks"] as String).split(separator: ",") {
          try blockDigests.add(hex: String(digest))
        }
        let input = try FileHandle(forReadingFrom: store.blobs.url(of: part["blob"]))
        defer { try? input.close() }
        while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
          output.write(chunk)
          size += Int64(chunk.count)
        }
      }
    } catch {
      try? FileManager.default.removeItem(at: joined)
      throw S3Error.internalError("cannot join parts: \(error)")
    }
    let etag = try partDigests.finalHex() + "-\(chosen.count)"
    let node = try store.putFile(
      ds: row["ds"], path: row["path"],
      content: Store.FileContent(
        file: joined, size: size, etag: etag, cellsHash: try blockDigests.finalHex(),
        mime: row["mime"]),
      now: clock())
    try startIndexing(node)
    try finishUpload(upload, keepPlaceholder: true)
    return Self.xml(
      S3XML.header + "<CompleteMultipartUploadResult xmlns=\"\(S3XML.namespace)\">"
        + S3XML.element("Location", "/\(s3.bucket ?? "io")/\(s3.key)")
        + S3XML.element("Bucket", s3.bucket ?? "io") + S3XML.element("Key", s3.key)
        + S3XML.element("ETag", "\"\(etag)\"") + "</CompleteMultipartUploadResult>")
  }

  /// AbortMultipartUpload: parts and the temporary index entry are removed.
  func abortUpload(_ s3: S3Request, user: User) throws -> Response {
    try finishUpload(try upload(s3), keepPlaceholder: false)
    return Response(status: .noContent)
  }

  /// ListParts.
  func listParts(_ s3: S3Request, user: User) throws -> Response {
    let upload = try self.upload(s3)
    let parts = try store.read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM parts WHERE upload = ? ORDER BY number", arguments: [upload])
    }
    var xml = S3XML.header + "<ListPartsResult xmlns=\"\(S3XML.namespace)\">"
    xml += S3XML.element("Bucket", s3.bucket ?? "io") + S3XML.element("Key", s3.key)
    xml += S3XML.element("UploadId", upload) + S3XML.element("IsTruncated", "false")
    for part in parts {
      xml +=
        "<Part>" + S3XML.element("PartNumber", String(part["number"] as Int))
        + S3XML.element("LastModified", S3XML.isoDate(part["mtime"]))
        + S3XML.element("ETag", "\"\(part["etag"] as String)\"")
        + S3XML.element("Size", String(part["size"] as Int64)) + "</Part>"
    }
    return Self.xml(xml + "</ListPartsResult>")
  }

  /// ListMultipartUploads: the caller's uploads in progress.
  func listUploads(_ s3: S3Request, user: User) throws -> Response {
    let uploads = try store.read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM uploads WHERE login = ? ORDER BY key", arguments: [user.login])
    }
    var xml = S3XML.header + "<ListMultipartUploadsResult xmlns=\"\(S3XML.namespace)\">"
    xml += S3XML.element("Bucket", s3.bucket ?? "io") + S3XML.element("IsTruncated", "false")
    for upload in uploads {
      xml +=
        "<Upload>" + S3XML.element("Key", upload["key"]) + S3XML.element("UploadId", upload["id"])
        + S3XML.element("Initiated", S3XML.isoDate(upload["created"])) + "</Upload>"
    }
    return Self.xml(xml + "</ListMultipartUploadsResult>")
  }

  private func upload(_ s3: S3Request) throws -> String {
    guard let id = s3.query["uploadId"],
      try store.read({ db in
        try Row.fetchOne(db, sql: "SELECT id FROM uploads WHERE id = ?", arguments: [id]) != nil
      })
    else { throw S3Error.noSuchUpload }
    return id
  }

  /// Forgets an upload and its parts; on abort, also its temporary index entry if no content
  /// arrived there meanwhile.
  private func finishUpload(_ id: String, keepPlaceholder: Bool) throws {
    let blobs = try store.write { db -> [String] in
      let blobs = try String.fetchAll(db, sql: "SELECT blob FROM parts WHERE upload = ?", arguments: [id])
      if !keepPlaceholder,
        let placeholder = try String.fetchOne(
          db, sql: "SELECT placeholder FROM uploads WHERE id = ?", arguments: [id])
      {
        try db.execute(
          sql: "DELETE FROM nodes WHERE uuid = ? AND blob IS NULL", arguments: [placeholder])
      }
      try db.execute(sql: "DELETE FROM parts WHERE upload = ?", arguments: [id])
      try db.execute(sql: "DELETE FROM uploads WHERE id = ?", arguments: [id])
      return blobs
    }
    blobs.forEach { store.blobs.remove($0) }
  }
}

/// The MD5 of a sequence of digests given in hex (S3's multipart ETag, Cells' block hash).
final class MD5Accumulator {
  private let md5: MD5

  init() throws { md5 = try MD5() }

  func add(hex: String) throws {
    guard let digest = Digest(hex: hex) else {
      throw S3Error.internalError("bad stored digest \(hex)")
    }
    try md5.update(digest.bytes)
  }

  func finalHex() throws -> String { try md5.finalize().hex }
}

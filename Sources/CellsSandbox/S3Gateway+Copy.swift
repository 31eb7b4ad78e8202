// CellsSandbox: CopyObject (docs/cells-protocol.md, "S3 gateway").
import Foundation
import GRDB
import Hummingbird

extension S3Gateway {
  /// CopyObject: the source (`x-amz-copy-source`, optionally `?versionId=`) becomes a new file or
  /// new content at the key.
  ///
  /// Copying a key onto itself without a version is NotImplemented, as the Cells gateway answers.
  func copyObject(_ s3: S3Request, user: User) throws -> Response {
    guard let header = s3.header("x-amz-copy-source") else { throw S3Error.invalidRequest("no copy source") }
    let parts = header.split(separator: "?", maxSplits: 1).map(String.init)
    var source = parts[0].removingPercentEncoding ?? parts[0]
    while source.hasPrefix("/") { source.removeFirst() }
    let bucket = String(source.prefix { $0 != "/" })
    guard Self.buckets.contains(bucket) else { throw S3Error.noSuchBucket }
    let sourceKey = String(source.dropFirst(bucket.count + 1))
    let versionID =
      parts.count > 1
      ? parts[1].split(separator: "&").first { $0.hasPrefix("versionId=") }.map { String($0.dropFirst(10)) }
      : nil
    if versionID == nil && sourceKey == s3.key {
      throw S3Error.notImplemented("Copying an object onto itself is not supported")
    }
    let target = try writableLocation(s3.key, user: user)
    guard let from = try locate(sourceKey, user: user), !from.relative.isEmpty else {
      throw S3Error.noSuchKey
    }
    let (node, blob, size, etag, hash) = try store.read { db -> (Node, String, Int64, String, String) in
      guard let node = try Store.node(db, ds: from.datasource, path: from.datasourcePath),
        node.type == .leaf, let blob = node.blob
      else { throw S3Error.noSuchKey }
      guard let versionID else {
        return (node, blob, node.size, node.etag, Self.unquote(node.meta["x-cells-hash"]) ?? "")
      }
      guard
        let row = try Row.fetchOne(
          db, sql: "SELECT * FROM versions WHERE id = ? AND node = ?", arguments: [versionID, node.uuid])
      else { throw S3Error.noSuchVersion }
      return (node, row["blob"], row["size"], row["etag"], row["hash"])
    }
    let temporary = store.blobs.temporaryFile()
    try FileManager.default.copyItem(at: store.blobs.url(of: blob), to: temporary)
    let copied = try store.putFile(
      ds: target.datasource, path: target.datasourcePath,
      content: Store.FileContent(
        file: temporary, size: size, etag: etag, cellsHash: hash,
        mime: Self.unquote(node.meta["mime"]) ?? "application/octet-stream"),
      now: clock())
    try startIndexing(copied)
    return Self.xml(
      S3XML.header + "<CopyObjectResult xmlns=\"\(S3XML.namespace)\">"
        + S3XML.element("LastModified", S3XML.isoDate(copied.mtime))
        + S3XML.element("ETag", "\"\(copied.etag)\"") + "</CopyObjectResult>")
  }
}

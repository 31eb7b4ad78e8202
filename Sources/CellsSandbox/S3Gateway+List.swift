// CellsSandbox: ListObjects (V1 and V2) the way the Cells gateway answers it
// (docs/cells-protocol.md, "S3 listing cut at max-keys").
import Foundation
import GRDB
import Hummingbird

extension S3Gateway {
  /// One entry of a listing: an object or a common prefix.
  private struct Entry {
    let key: String
    let node: Node?
  }

  /// ListObjects / ListObjectsV2.
  ///
  /// Never truncated and never paginated: `max-keys` cuts the listing silently and `IsTruncated` is
  /// always false, as the Cells gateway does. Dot-files and `.pydio` markers are listed. With
  /// delimiter "/", folders are common prefixes; without one, every file below the prefix is
  /// listed.
  func listObjects(_ s3: S3Request, user: User) throws -> Response {
    let prefix = s3.query["prefix"] ?? ""
    let delimiter = s3.query["delimiter"] ?? ""
    let maxKeys = Int(s3.query["max-keys"] ?? "") ?? 1000
    let urlEncoded = s3.query["encoding-type"] == "url"
    let v2 = s3.query["list-type"] == "2"
    if faults.denies(UserPath.trim(prefix)) { throw S3Error.accessDenied("Access to \(prefix) is denied") }
    let workspaces = store.workspaces().filter { $0.canRead(user.login) }

    var entries = try store.read { db in
      delimiter == "/"
        ? try oneLevel(db, prefix: prefix, user: user, workspaces: workspaces)
        : try recursive(db, prefix: prefix, user: user, workspaces: workspaces)
    }
    entries.sort { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
    // max-keys=1 is the gateway's "first file only" probe (docs/cells-protocol.md, "S3 listing cut at max-keys").
    if maxKeys == 1 { entries = Array(entries.filter { $0.node != nil }.prefix(1)) }
    entries = Array(entries.prefix(max(0, maxKeys)))

    let encode = { (s: String) in urlEncoded ? S3XML.urlEncode(s) : s }
    var xml = S3XML.header + "<ListBucketResult xmlns=\"\(S3XML.namespace)\">"
    xml += S3XML.element("Name", s3.bucket ?? "io") + S3XML.element("Prefix", encode(prefix))
    if !delimiter.isEmpty { xml += S3XML.element("Delimiter", encode(delimiter)) }
    xml += S3XML.element("MaxKeys", String(maxKeys))
    if urlEncoded { xml += S3XML.element("EncodingType", "url") }
    if v2 {
      xml += S3XML.element("KeyCount", String(entries.count))
    } else {
      xml += S3XML.element("Marker", s3.query["marker"] ?? "")
    }
    xml += S3XML.element("IsTruncated", "false")
    for entry in entries {
      if let node = entry.node {
        xml +=
          "<Contents>" + S3XML.element("Key", encode(entry.key))
          + S3XML.element("LastModified", S3XML.isoDate(node.mtime))
          + S3XML.element("ETag", "\"\(node.etag)\"") + S3XML.element("Size", String(node.size))
          + S3XML.element("StorageClass", "STANDARD") + "</Contents>"
      } else {
        xml += "<CommonPrefixes>" + S3XML.element("Prefix", encode(entry.key)) + "</CommonPrefixes>"
      }
    }
    xml += "</ListBucketResult>"
    return Self.xml(xml)
  }

  /// The children of the folder named by the prefix up to its last "/", those whose name starts
  /// with the rest; "" lists the workspaces.
  private func oneLevel(
    _ db: Database, prefix: String, user: User, workspaces: [Workspace]
  ) throws -> [Entry] {
    let folder = prefix.lastIndex(of: "/").map { String(prefix[..<$0]) } ?? ""
    let namePrefix = String(prefix.dropFirst(folder.isEmpty ? 0 : folder.count + 1))
    if folder.isEmpty {
      return workspaces.filter { $0.slug.hasPrefix(namePrefix) }.map {
        Entry(key: $0.slug + "/", node: nil)
      }
    }
    guard let location = UserPath.resolve(folder, for: user, in: workspaces) else { return [] }
    if !location.datasourcePath.isEmpty {
      let node = try Store.node(db, ds: location.datasource, path: location.datasourcePath)
      guard node?.type == .collection else { return [] }
    }
    return try Store.children(db, ds: location.datasource, path: location.datasourcePath)
      .filter { $0.name.utf8.starts(with: namePrefix.utf8) }
      .map { child in
        let key = location.contextPath(ofDatasourcePath: child.path)
        return child.type == .collection
          ? Entry(key: key + "/", node: nil) : Entry(key: key, node: child)
      }
      .filter { $0.node == nil || $0.node?.blob != nil }
  }

  /// Every file below the prefix, in every workspace it can reach.
  private func recursive(
    _ db: Database, prefix: String, user: User, workspaces: [Workspace]
  ) throws -> [Entry] {
    var entries: [Entry] = []
    for ws in workspaces {
      guard prefix.isEmpty || (ws.slug + "/").hasPrefix(prefix) || prefix.hasPrefix(ws.slug + "/")
      else { continue }
      let root = ws.rootPath(for: user.login)
      let location = UserPath(workspace: ws, root: root, relative: "")
      for node in try Store.descendants(db, ds: ws.datasource, path: root)
      where node.type == .leaf && node.blob != nil {
        let key = location.contextPath(ofDatasourcePath: node.path)
        if key.utf8.starts(with: prefix.utf8) { entries.append(Entry(key: key, node: node)) }
      }
    }
    return entries
  }
}

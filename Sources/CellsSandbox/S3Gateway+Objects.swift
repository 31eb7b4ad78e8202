// CellsSandbox: single-object S3 operations: GET (with Range), HEAD, PUT, DELETE.
import Foundation
import GRDB
import Hummingbird

extension S3Gateway {
  /// GetObject / HeadObject: bytes of a file, `Range` honoured; folders are no objects.
  func getObject(
    _ s3: S3Request, user: User, context: SandboxContext, headOnly: Bool
  ) async throws -> Response {
    if faults.denies(s3.key) { throw S3Error.accessDenied("Access to \(s3.key) is denied") }
    guard let location = try locate(s3.key, user: user), !location.relative.isEmpty,
      var node = try store.read({ db in
        try Store.node(db, ds: location.datasource, path: location.datasourcePath)
      }), node.type == .leaf, var blob = node.blob
    else { throw S3Error.noSuchKey }
    var headers: HTTPFields = [
      .contentType: Self.unquote(node.meta["mime"]) ?? "application/octet-stream",
      .eTag: "\"\(node.etag)\"",
      .lastModified: S3XML.httpDate(node.mtime),
      .acceptRanges: "bytes",
    ]
    if let versionID = s3.query["versionId"], !versionID.isEmpty, versionID != "null" {
      guard
        let version = try store.read({ db in
          try Row.fetchOne(
            db, sql: "SELECT * FROM versions WHERE id = ? AND node = ?", arguments: [versionID, node.uuid])
        })
      else { throw S3Error.noSuchVersion }
      blob = version["blob"]
      node.size = version["size"]
      node.etag = version["etag"]
      node.mtime = version["mtime"]
      headers[.eTag] = "\"\(node.etag)\""
      headers[.lastModified] = S3XML.httpDate(node.mtime)
      headers[.init("x-amz-version-id")!] = versionID
    }
    var range: ClosedRange<Int>?
    if let rangeHeader = s3.header("range") {
      range = try Self.parseRange(rangeHeader, size: node.size)
    }
    let length = range.map { $0.count } ?? Int(node.size)
    headers[.contentLength] = String(length)
    if let range { headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(node.size)" }
    let status: HTTPResponse.Status = range == nil ? .ok : .partialContent
    if headOnly || length == 0 {
      return Response(status: status, headers: headers, body: ResponseBody())
    }
    let fileRange = range ?? 0...(Int(node.size) - 1)
    var body = try await contentBody(blob, range: fileRange, context: context)
    if length >= 2, faults.cutsBody() {
      // Half the promised bytes, then the connection is dropped: a body cut mid-stream.
      let half = try await contentBody(
        blob, range: fileRange.lowerBound...(fileRange.lowerBound + length / 2 - 1), context: context)
      body = ResponseBody(contentLength: length) { writer in
        try await half.write(writer)
        throw SandboxError.injected(status: 500)
      }
    }
    return Response(status: status, headers: headers, body: body)
  }

  /// The bytes `range` of a stored content as a response body: read at once up to
  /// `largestBodyReadAtOnce`, streamed in chunks from NIO's thread pool beyond.
  private func contentBody(
    _ blob: String, range: ClosedRange<Int>, context: SandboxContext
  ) async throws -> ResponseBody {
    guard range.count > Self.largestBodyReadAtOnce else {
      return ResponseBody(byteBuffer: try store.blobs.read(blob, range: range))
    }
    return try await FileIO().loadFile(path: store.blobs.path(of: blob), range: range, context: context)
  }

  /// `bytes=a-b`, `bytes=a-` or `bytes=-n`, clamped to the file; unsatisfiable → InvalidRange.
  static func parseRange(_ header: String, size: Int64) throws -> ClosedRange<Int>? {
    guard header.hasPrefix("bytes="), !header.contains(",") else { return nil }
    let spec = header.dropFirst("bytes=".count)
    let parts = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
    guard parts.count == 2 else { return nil }
    let size = Int(size)
    let first = Int(parts[0].trimmingCharacters(in: .whitespaces))
    let last = Int(parts[1].trimmingCharacters(in: .whitespaces))
    switch (first, last) {
    case (let a?, let b?):
      guard a <= b else { return nil }
      guard a < size else { throw S3Error.invalidRange }
      return a...min(b, size - 1)
    case (let a?, nil):
      guard a < size else { throw S3Error.invalidRange }
      return a...(size - 1)
    case (nil, let n?):
      guard n > 0, size > 0 else { throw S3Error.invalidRange }
      return max(0, size - n)...(size - 1)
    default:
      return nil
    }
  }

  /// PutObject: the body streams to a temporary file (hashed on the way), then becomes the file
  /// at the key; missing folders are created, an existing file keeps its UUID
  /// (docs/cells-protocol.md, "Uploads and indexing").
  func putObject(_ s3: S3Request, request: Request, user: User) async throws -> Response {
    let location = try writableLocation(s3.key, user: user)
    if s3.key.hasSuffix("/") {
      // A "folder/" key with no body: the folder marker convention of S3 consoles.
      let received = try await receiveBody(s3, request: request)
      _ = try store.write { db in
        try store.makeFolders(db, ds: location.datasource, path: location.datasourcePath, now: clock())
      }
      try? FileManager.default.removeItem(at: received.file)
      return Response(status: .ok, headers: [.eTag: "\"\(received.result.md5)\""])
    }
    let received = try await receiveBody(s3, request: request)
    let node = try await store.putFileBatched(
      ds: location.datasource, path: location.datasourcePath,
      content: Store.FileContent(
        file: received.file, size: received.result.size, etag: received.result.md5,
        cellsHash: received.result.cellsHash, mime: Self.mime(of: s3)),
      now: clock())
    try startIndexing(node)
    return Response(status: .ok, headers: [.eTag: "\"\(node.etag)\""])
  }

  /// DeleteObject: removed for good (the gateway bypasses the recycle bin); a missing key is
  /// not an error, as in S3.
  func deleteObject(_ s3: S3Request, user: User) throws -> Response {
    let location = try writableLocation(s3.key, user: user)
    let blobs = try store.write { db -> [String] in
      guard let node = try Store.node(db, ds: location.datasource, path: location.datasourcePath)
      else { return [] }
      return try Store.deleteSubtree(db, node)
    }
    blobs.forEach { store.blobs.remove($0) }
    return Response(status: .noContent)
  }

  /// The location of a key the caller wants to write: a workspace it may write, below the root.
  func writableLocation(_ key: String, user: User) throws -> UserPath {
    guard let location = try locate(key, user: user) else { throw S3Error.noSuchKey }
    guard location.workspace.canWrite(user.login) else {
      throw S3Error.accessDenied("\(location.workspace.slug) is read-only")
    }
    guard !UserPath.trim(location.relative).isEmpty else {
      throw S3Error.accessDenied("A workspace root cannot be written")
    }
    return location
  }

  /// The body streamed to a temporary file, its digests checked against what the request
  /// declared (`x-amz-content-sha256`, `Content-MD5`, a CRC32 header or trailer).
  func receiveBody(_ s3: S3Request, request: Request) async throws -> (
    file: URL, result: UploadSink.Result
  ) {
    let declared = s3.header("x-amz-content-sha256") ?? "UNSIGNED-PAYLOAD"
    if declared.hasPrefix("STREAMING-AWS4-HMAC-SHA256") {
      throw S3Error.notImplemented("Signed aws-chunked payloads are not supported; use UNSIGNED-PAYLOAD")
    }
    let chunked = declared == "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
    let sink = try UploadSink(
      file: store.blobs.temporaryFile(), awsChunked: chunked,
      wantsCRC32: s3.header("x-amz-checksum-crc32") != nil
        || s3.header("x-amz-trailer")?.lowercased() == "x-amz-checksum-crc32")
    let result: UploadSink.Result
    do {
      for try await buffer in request.body {
        try buffer.withUnsafeReadableBytes { try sink.write($0) }
      }
      result = try sink.finish()
      if declared.count == 64, declared.lowercased() != result.sha256 {
        throw S3Error.contentSHA256Mismatch
      }
      if let md5 = s3.header("content-md5"), md5 != Self.base64(hex: result.md5) {
        throw S3Error.badDigest
      }
      let crc = s3.header("x-amz-checksum-crc32") ?? result.trailers["x-amz-checksum-crc32"]
      if let crc, crc != result.crc32Base64 { throw S3Error.badDigest }
    } catch {
      sink.discard()
      throw error
    }
    return (sink.file, result)
  }

  static func mime(of s3: S3Request) -> String {
    guard let type = s3.header("content-type"), !type.isEmpty else {
      return "application/octet-stream"
    }
    return type
  }

  /// The string inside a JSON-quoted MetaStore value.
  static func unquote(_ json: String?) -> String? {
    guard let json, json.count >= 2, json.hasPrefix("\""), json.hasSuffix("\"") else { return nil }
    return (try? JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed]))
      as? String
  }

  static func base64(hex: String) -> String {
    var bytes: [UInt8] = []
    var index = hex.startIndex
    while index < hex.endIndex {
      let next = hex.index(index, offsetBy: 2)
      bytes.append(UInt8(hex[index..<next], radix: 16) ?? 0)
      index = next
    }
    return Data(bytes).base64EncodedString()
  }
}

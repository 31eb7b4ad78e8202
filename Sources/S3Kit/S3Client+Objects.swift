// S3Kit: single-object operations: HEAD, GET (streamed, resumed with Range), PUT, DELETE.
import Foundation
import HTTPKit

extension S3Client {
  /// The size, ETag and type of `key`; `S3Error.notFound` when it does not exist.
  public func head(_ key: String) async throws -> S3ObjectInfo {
    try await send(Call(operation: "HeadObject", method: "HEAD", key: key)) { response in
      guard let info = S3ObjectInfo(headers: response.headers) else {
        throw S3Error.invalidResponse(operation: "HeadObject", key: key, message: "no Content-Length")
      }
      return info
    }
  }

  /// Streams the bytes of `key` (or of `range`, inclusive byte offsets) to `consume`, chunk by
  /// chunk, and returns the object's info.
  ///
  /// `versionID` asks for an old version of the object. `head` receives the object's info
  /// (its size as the server now says) once, before the first byte.
  ///
  /// When the connection breaks or stalls mid-body the download resumes with a `Range` request
  /// from the next byte not yet consumed, so `consume` sees every byte exactly once; if the
  /// object's ETag changed in between, it fails with `changedDuringDownload` instead of mixing
  /// two versions. A body longer than announced fails with `longBody` before `consume` sees the
  /// extra bytes.
  @discardableResult
  public func get(
    _ key: String, range: ClosedRange<Int64>? = nil, versionID: String? = nil,
    head: (_ info: S3ObjectInfo) async throws -> Void = { _ in },
    consume: (_ chunk: [UInt8]) async throws -> Void
  ) async throws -> S3ObjectInfo {
    var consumed: Int64 = 0
    var requested: Int64 = 0
    var first: S3ObjectInfo?
    return try await send("GetObject") {
      var call = Call(operation: "GetObject", method: "GET", key: key)
      if let versionID { call.query = [("versionId", versionID)] }
      requested = (range?.lowerBound ?? 0) + consumed
      if requested > 0 || range != nil {
        call.headers.add("Range", "bytes=\(requested)-\(range.map { String($0.upperBound) } ?? "")")
      }
      return call
    } read: { response in
      guard let info = S3ObjectInfo(headers: response.headers) else {
        throw S3Error.invalidResponse(operation: "GetObject", key: key, message: "no Content-Length")
      }
      if let first, first.etag != info.etag {
        throw S3Error.changedDuringDownload(key: key, expectedETag: first.etag, actualETag: info.etag)
      }
      // A server may ignore Range and send the object from its start (200): the bytes before the
      // one asked for are skipped, never handed to `consume` twice.
      let start = response.status == 206 ? Self.rangeStart(response.headers) : 0
      guard let start, start <= requested else {
        throw S3Error.invalidResponse(
          operation: "GetObject", key: key, message: "the answer does not start at byte \(requested)")
      }
      if first == nil { try await head(info) }
      let whole = first ?? info
      first = whole
      let expected = range.map { min($0.upperBound, whole.size - 1) - $0.lowerBound + 1 } ?? whole.size
      var skip = requested - start
      do {
        for try await chunk in response.body {
          var piece = chunk[...]
          if skip > 0 {
            let dropped = Int(min(skip, Int64(piece.count)))
            piece = piece.dropFirst(dropped)
            skip -= Int64(dropped)
          }
          let room = expected - consumed
          if Int64(piece.count) > room {
            // More than the range asked for: from a server ignoring Range that is the rest of
            // the object; a 206 longer than its range is a lie.
            guard response.status == 200 else { throw S3Error.longBody(key: key, expected: expected) }
            piece = piece.prefix(Int(room))
          }
          guard !piece.isEmpty else {
            if consumed == expected { break }
            continue
          }
          try await consume(piece.count == chunk.count ? chunk : Array(piece))
          consumed += Int64(piece.count)
        }
      } catch is HTTPError where consumed == expected {
        // The connection failed after the last byte: nothing is missing (and a Range from past
        // the end would be refused).
      }
      guard consumed == expected else {
        throw S3Error.shortBody(key: key, expected: expected, received: consumed)
      }
      return whole
    }
  }

  /// The first byte a 206 answer holds, from `Content-Range: bytes a-b/size`.
  static func rangeStart(_ headers: HTTPHeaders) -> Int64? {
    guard let range = headers["content-range"], range.hasPrefix("bytes ") else { return nil }
    return Int64(range.dropFirst("bytes ".count).prefix { $0 != "-" })
  }

  /// Uploads `key` in one PUT and returns the ETag the server sent, if any.
  ///
  /// `body` is called for each attempt (a retry needs a fresh body). Cells may send no ETag:
  /// verify with `head` instead. `onlyIfAbsent` makes the write conditional (`If-None-Match:
  /// *`): when `key` exists the server refuses it with a 412, `S3Error.server` with code
  /// `PreconditionFailed`.
  @discardableResult
  public func put(
    _ key: String, contentType: String? = nil, onlyIfAbsent: Bool = false,
    body: @escaping @Sendable () -> HTTPRequestBody
  ) async throws -> String? {
    var call = Call(operation: "PutObject", method: "PUT", key: key, body: body)
    if let contentType { call.headers.add("Content-Type", contentType) }
    if onlyIfAbsent { call.headers.add("If-None-Match", "*") }
    return try await send(call) { response in
      _ = try await response.body.collect(upTo: 1 << 20)
      return response.headers["etag"]?.unquotedETag
    }
  }

  /// Deletes `key` (on Cells: directly, not into the recycle bin).
  public func delete(_ key: String) async throws {
    try await send(Call(operation: "DeleteObject", method: "DELETE", key: key)) { response in
      _ = try await response.body.collect(upTo: 1 << 20)
    }
  }
}

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
    var first: S3ObjectInfo?
    return try await send("GetObject") {
      var call = Call(operation: "GetObject", method: "GET", key: key)
      if let versionID { call.query = [("versionId", versionID)] }
      let from = (range?.lowerBound ?? 0) + consumed
      if from > 0 || range != nil {
        call.headers.add("Range", "bytes=\(from)-\(range.map { String($0.upperBound) } ?? "")")
      }
      return call
    } read: { response in
      guard let info = S3ObjectInfo(headers: response.headers) else {
        throw S3Error.invalidResponse(operation: "GetObject", key: key, message: "no Content-Length")
      }
      if let first, first.etag != info.etag {
        throw S3Error.changedDuringDownload(key: key, expectedETag: first.etag, actualETag: info.etag)
      }
      if first == nil { try await head(info) }
      let whole = first ?? info
      first = whole
      let expected = range.map { min($0.upperBound, whole.size - 1) - $0.lowerBound + 1 } ?? whole.size
      do {
        for try await chunk in response.body {
          guard consumed + Int64(chunk.count) <= expected else {
            throw S3Error.longBody(key: key, expected: expected)
          }
          try await consume(chunk)
          consumed += Int64(chunk.count)
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

  /// Uploads `key` in one PUT and returns the ETag the server sent, if any.
  ///
  /// `body` is called for each attempt (a retry needs a fresh body). Cells may send no ETag:
  /// verify with `head` instead.
  @discardableResult
  public func put(
    _ key: String, contentType: String? = nil, body: @escaping @Sendable () -> HTTPRequestBody
  ) async throws -> String? {
    var call = Call(operation: "PutObject", method: "PUT", key: key, body: body)
    if let contentType { call.headers.add("Content-Type", contentType) }
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

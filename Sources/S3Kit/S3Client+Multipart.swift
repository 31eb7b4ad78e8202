// S3Kit: multipart upload, the five calls and an upload that keeps several parts in flight.
import Foundation
import HTTPKit
import HashKit

extension S3Client {
  /// One uploaded part.
  public struct Part: Sendable, Equatable {
    /// The part number, from 1.
    public var number: Int
    /// The ETag the server gave the part.
    public var etag: String
    /// The part's size, when the server reports it (ListParts).
    public var size: Int64?
  }

  /// Starts a multipart upload and returns its upload id.
  ///
  /// `totalSize` is announced as `X-Amz-Meta-Pydio-Clear-Size`, which Cells uses to pre-size the
  /// new node.
  public func createMultipartUpload(_ key: String, contentType: String? = nil, totalSize: Int64? = nil) async throws
    -> String
  {
    var call = Call(operation: "CreateMultipartUpload", method: "POST", key: key, query: [("uploads", nil)])
    if let contentType { call.headers.add("Content-Type", contentType) }
    if let totalSize { call.headers.add("X-Amz-Meta-Pydio-Clear-Size", String(totalSize)) }
    let document = try await xml(of: call)
    guard let uploadID = document.fields["UploadId"], !uploadID.isEmpty else {
      throw S3Error.invalidResponse(operation: call.operation, key: key, message: "no UploadId")
    }
    return uploadID
  }

  /// Uploads part `number` (from 1) and returns its ETag.
  public func uploadPart(
    _ key: String, uploadID: String, number: Int, body: @escaping @Sendable () -> HTTPRequestBody
  ) async throws -> Part {
    let call = Call(
      operation: "UploadPart", method: "PUT", key: key,
      query: [("partNumber", String(number)), ("uploadId", uploadID)], body: body)
    return try await send(call) { response in
      _ = try await response.body.collect(upTo: 1 << 20)
      guard let etag = response.headers["etag"] else {
        throw S3Error.invalidResponse(operation: call.operation, key: key, message: "no ETag for part \(number)")
      }
      return Part(number: number, etag: etag.unquotedETag)
    }
  }

  /// Assembles the parts into the object; returns the object's ETag when the server gives one.
  ///
  /// S3 servers may answer 200 with an `<Error>` document when assembling fails late; a passing
  /// one is retried. When the answer to an attempt was lost after the server completed the
  /// upload, the next attempt meets `NoSuchUpload`: then the object itself is checked (its size
  /// is `expectedSize`, and its ETag, when in multipart form, is that of these parts) before the
  /// completion is called a failure.
  ///
  /// `onlyIfAbsent` makes the completion conditional (`If-None-Match: *`): when `key` exists by
  /// then, the server refuses with a 412, `S3Error.server` with code `PreconditionFailed`.
  @discardableResult
  public func completeMultipartUpload(
    _ key: String, uploadID: String, parts: [Part], expectedSize: Int64? = nil, onlyIfAbsent: Bool = false
  ) async throws -> String? {
    let parts = parts.sorted { $0.number < $1.number }
    var manifest = "<CompleteMultipartUpload>"
    for part in parts {
      manifest += "<Part><PartNumber>\(part.number)</PartNumber><ETag>\"\(part.etag)\"</ETag></Part>"
    }
    manifest += "</CompleteMultipartUpload>"
    let body = Array(manifest.utf8)
    var call = Call(
      operation: "CompleteMultipartUpload", method: "POST", key: key, query: [("uploadId", uploadID)],
      body: { .bytes(body) })
    call.headers.add("Content-Type", "application/xml")
    if onlyIfAbsent { call.headers.add("If-None-Match", "*") }
    var sent = 0
    do {
      return try await send(call.operation) {
        sent += 1
        return call
      } read: { response in
        let document = try await Self.document(of: response, call: call, limit: 1 << 20)
        if let code = document.fields["Code"] {
          throw S3Error.server(
            operation: call.operation, key: key, status: 200, code: code, message: document.fields["Message"] ?? "")
        }
        return document.fields["ETag"]?.unquotedETag
      }
    } catch let error as S3Error where sent > 1 && error.mayBeOwnCompletion {
      // NoSuchUpload (or, conditional, PreconditionFailed) on a retry: did an earlier attempt,
      // whose answer was lost, complete it?
      guard let info = try? await head(key), expectedSize.map({ $0 == info.size }) ?? true,
        Self.multipartETag(of: parts).map({ !info.etag.contains("-") || info.etag == $0 }) ?? true
      else { throw error }
      return info.etag
    }
  }

  /// The ETag S3 gives an object assembled from `parts` (the MD5 of their MD5s, a dash, their
  /// count), when every part's ETag is an MD5.
  static func multipartETag(of parts: [Part]) -> String? {
    var digests: [UInt8] = []
    for part in parts {
      guard let digest = Digest(hex: part.etag), digest.bytes.count == MD5.byteCount else { return nil }
      digests += digest.bytes
    }
    guard let combined = try? MD5.hash(digests) else { return nil }
    return combined.hex + "-\(parts.count)"
  }

  /// Abandons a multipart upload and its parts.
  public func abortMultipartUpload(_ key: String, uploadID: String) async throws {
    let call = Call(operation: "AbortMultipartUpload", method: "DELETE", key: key, query: [("uploadId", uploadID)])
    try await send(call) { _ = try await $0.body.collect(upTo: 1 << 20) }
  }

  /// The parts uploaded so far.
  public func listParts(_ key: String, uploadID: String) async throws -> [Part] {
    let call = Call(operation: "ListParts", method: "GET", key: key, query: [("uploadId", uploadID)])
    return try await xml(of: call, recordNames: ["Part"]).records.compactMap { record in
      guard let number = record.fields["PartNumber"].flatMap({ Int($0) }), let etag = record.fields["ETag"] else {
        return nil
      }
      return Part(
        number: number, etag: etag.unquotedETag, size: record.fields["Size"].flatMap { Int64($0) })
    }
  }

  /// The XML answer of `call`, read within the attempt (a cut body is retried).
  func xml(of call: Call, limit: Int = 16 << 20, recordNames: Set<String> = []) async throws -> S3XMLDocument {
    try await send(call) { try await Self.document(of: $0, call: call, limit: limit, recordNames: recordNames) }
  }

  static func document(
    of response: HTTPResponse, call: Call, limit: Int, recordNames: Set<String> = []
  ) async throws -> S3XMLDocument {
    let body = try await response.body.collect(upTo: limit)
    do {
      return try S3XMLDocument(parsing: body, recordNames: recordNames)
    } catch {
      throw S3Error.invalidResponse(operation: call.operation, key: call.key, message: "\(error)")
    }
  }
}

extension S3Error {
  /// Whether a retried completion's error may mean that an earlier attempt completed the upload:
  /// the upload is gone (404) or, for a conditional one, the object is there (412).
  fileprivate var mayBeOwnCompletion: Bool {
    switch self {
    case .notFound: true
    case .server(_, _, 412, _, _): true
    default: false
    }
  }
}

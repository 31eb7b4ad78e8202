// S3Kit: multipart upload, the five calls and an upload that keeps several parts in flight.
import Foundation
import HTTPKit

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
    let response = try await send(call)
    _ = try await response.body.collect(upTo: 1 << 20)
    guard let etag = response.headers["etag"] else {
      throw S3Error.invalidResponse(operation: call.operation, key: key, message: "no ETag for part \(number)")
    }
    return Part(number: number, etag: etag.unquotedETag)
  }

  /// Assembles the parts into the object; returns the object's ETag when the server gives one.
  @discardableResult
  public func completeMultipartUpload(_ key: String, uploadID: String, parts: [Part]) async throws -> String? {
    var manifest = "<CompleteMultipartUpload>"
    for part in parts.sorted(by: { $0.number < $1.number }) {
      manifest += "<Part><PartNumber>\(part.number)</PartNumber><ETag>\"\(part.etag)\"</ETag></Part>"
    }
    manifest += "</CompleteMultipartUpload>"
    let body = Array(manifest.utf8)
    var call = Call(
      operation: "CompleteMultipartUpload", method: "POST", key: key, query: [("uploadId", uploadID)],
      body: { .bytes(body) })
    call.headers.add("Content-Type", "application/xml")
    let document = try await xml(of: call)
    // S3 may answer 200 with an <Error> document when assembling fails late.
    if let code = document.fields["Code"] {
      throw S3Error.server(
        operation: call.operation, key: key, status: 200, code: code, message: document.fields["Message"] ?? "")
    }
    return document.fields["ETag"]?.unquotedETag
  }

  /// Abandons a multipart upload and its parts.
  public func abortMultipartUpload(_ key: String, uploadID: String) async throws {
    let call = Call(operation: "AbortMultipartUpload", method: "DELETE", key: key, query: [("uploadId", uploadID)])
    _ = try await send(call).body.collect(upTo: 1 << 20)
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

  private func xml(of call: Call, recordNames: Set<String> = []) async throws -> S3XMLDocument {
    let body = try await send(call).body.collect(upTo: 16 << 20)
    do {
      return try S3XMLDocument(parsing: body, recordNames: recordNames)
    } catch {
      throw S3Error.invalidResponse(operation: call.operation, key: call.key, message: "\(error)")
    }
  }
}

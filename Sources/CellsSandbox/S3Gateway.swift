// CellsSandbox: the S3 gateway on `/io` and `/data` (docs/cells-protocol.md, "S3 gateway"): SigV4 auth and routing.
import Foundation
import HashKit
import Hummingbird
import S3Kit

/// Serves the Cells S3 gateway: path-style buckets `io` and `data` over the caller's workspaces,
/// SigV4 checked with S3Kit's verifier (access key = a valid token, secret `gatewaysecret`).
struct S3Gateway: Sendable {
  let store: Store
  let clock: @Sendable () -> Int64
  let faults: FaultPlan
  /// Seconds an upload shows as being indexed (`SandboxOptions.indexingDelay`).
  var indexingDelay = 0.0
  static let buckets = ["io", "data"]
  /// The smallest part but the last that CompleteMultipartUpload accepts.
  static let minimumPartSize: Int64 = 5 * 1024 * 1024
  /// The largest GET body read into memory in one go rather than streamed: reading a small file
  /// at once costs a fraction of the thread-pool hops streaming takes, and the memory is bounded.
  static let largestBodyReadAtOnce = 1 << 20

  func respond(_ request: Request, s3: S3Request, context: SandboxContext) async -> Response {
    do {
      let user = try authenticate(s3)
      return try await route(s3, request: request, user: user, context: context)
    } catch {
      return Self.errorResponse(S3Error.from(error), resource: s3.rawPath)
    }
  }

  /// Checks the SigV4 signature and returns the token's user.
  ///
  /// Unknown or expired tokens and unsigned requests get `AccessDenied` (there is no anonymous user
  /// here).
  func authenticate(_ s3: S3Request) throws -> User {
    guard let header = s3.header("authorization") else {
      throw S3Error.accessDenied("Access Denied.")
    }
    let authorization: SigV4Authorization
    do {
      authorization = try SigV4Authorization(parsing: header)
    } catch {
      throw S3Error.authorizationHeaderMalformed("\(error)")
    }
    guard authorization.region == "us-east-1" else {
      throw S3Error.authorizationHeaderMalformed(
        "the region '\(authorization.region)' is wrong; expecting 'us-east-1'")
    }
    guard let user = store.user(forToken: authorization.accessKey) else {
      throw S3Error.accessDenied("Access Denied.")
    }
    // The verifier lowercases and groups every header it is given: hand it only those it reads.
    let read = ["x-amz-date", "x-amz-content-sha256"]
    let headers = s3.headers.filter {
      authorization.signedHeaders.contains($0.name) || read.contains($0.name)
    }
    let valid: Bool
    do {
      valid = try SigV4Verifier.verify(
        method: s3.method, rawPath: s3.rawPath, rawQuery: s3.rawQuery, headers: headers,
        authorization: authorization, secretKey: SandboxOptions.gatewaySecret)
    } catch {
      throw S3Error.authorizationHeaderMalformed("\(error)")
    }
    guard valid else { throw S3Error.signatureDoesNotMatch }
    if let amzDate = s3.header("x-amz-date"), let date = S3XML.parseAmzDate(amzDate),
      abs(date.timeIntervalSince1970 - Double(clock())) > 15 * 60
    {
      throw S3Error.requestTimeTooSkewed
    }
    return user
  }

  private func route(
    _ s3: S3Request, request: Request, user: User, context: SandboxContext
  ) async throws -> Response {
    if let bucket = s3.bucket, !Self.buckets.contains(bucket) { throw S3Error.noSuchBucket }
    guard let operation = S3Operation(s3) else {
      if s3.bucket == nil { throw S3Error.notImplemented("Not implemented") }
      if s3.key.isEmpty { throw S3Error.notImplemented("Bucket operations are not supported") }
      throw S3Error.notImplemented("\(s3.method) is not supported")
    }
    switch operation {
    case .listBuckets: return listBuckets(user)
    case .headBucket: return Response(status: .ok)
    case .getBucketLocation: return Self.xml(S3XML.header + "<LocationConstraint xmlns=\"\(S3XML.namespace)\"/>")
    case .listMultipartUploads: return try listUploads(s3, user: user)
    case .listObjectsV2: return try listObjects(s3, user: user)
    case .deleteObjects: throw S3Error.notImplemented("DeleteObjects is not supported by the Cells gateway")
    case .headObject: return try await getObject(s3, user: user, context: context, headOnly: true)
    case .listParts: return try listParts(s3, user: user)
    case .getObject: return try await getObject(s3, user: user, context: context, headOnly: false)
    case .copyObject: return try copyObject(s3, user: user)
    case .uploadPart: return try await uploadPart(s3, request: request, user: user)
    case .putObject: return try await putObject(s3, request: request, user: user)
    case .createMultipartUpload: return try createUpload(s3, user: user)
    case .completeMultipartUpload: return try await completeUpload(s3, request: request, user: user)
    case .abortMultipartUpload: return try abortUpload(s3, user: user)
    case .deleteObject: return try deleteObject(s3, user: user)
    }
  }

  // MARK: - Responses

  static func xml(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
    Response(
      status: status, headers: [.contentType: "application/xml"],
      body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
  }

  static func errorResponse(_ error: S3Error, resource: String) -> Response {
    xml(
      S3XML.error(
        code: error.code, message: error.message, resource: resource,
        requestID: UUID().uuidString),
      status: HTTPResponse.Status(code: error.status))
  }

  /// `ListAllMyBucketsResult` with `io` and `data`.
  private func listBuckets(_ user: User) -> Response {
    let created = S3XML.isoDate(0)
    let buckets = Self.buckets.map {
      "<Bucket>" + S3XML.element("Name", $0) + S3XML.element("CreationDate", created) + "</Bucket>"
    }.joined()
    return Self.xml(
      S3XML.header + "<ListAllMyBucketsResult xmlns=\"\(S3XML.namespace)\"><Owner>"
        + S3XML.element("ID", user.login) + S3XML.element("DisplayName", user.login)
        + "</Owner><Buckets>" + buckets + "</Buckets></ListAllMyBucketsResult>")
  }

  /// Marks a just-uploaded node as being indexed for `indexingDelay` seconds.
  func startIndexing(_ node: Node) throws {
    guard indexingDelay > 0 else { return }
    try store.write { db in
      guard var current = try Store.node(db, uuid: node.uuid) else { return }
      current.meta[indexedAtKey] = String(Date().timeIntervalSince1970 + indexingDelay)
      try Store.save(db, current)
    }
  }

  /// The workspace location of an object key; nil when no readable workspace holds it.
  func locate(_ key: String, user: User) throws -> UserPath? {
    UserPath.resolve(key, for: user, in: store.workspaces())
  }
}

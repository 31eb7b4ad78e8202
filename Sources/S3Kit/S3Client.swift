// S3Kit: a client for the Cells S3 gateway (path style, SigV4, UNSIGNED-PAYLOAD) over HTTPKit.
import Foundation
import HTTPKit

/// Talks to one bucket of an S3-compatible endpoint, path style.
///
/// Every request is signed with SigV4 (bodies as `UNSIGNED-PAYLOAD`, never aws-chunked, which the
/// Cells gateway does not support) with the credentials of the moment. Every request, its answer's
/// body included, is retried under `retry` when it fails for a passing reason; a 403 is retried
/// once with renewed credentials when the credential source can renew them (an expired token).
public final class S3Client: Sendable {
  /// The endpoint, scheme, host and port, without a trailing slash ("https://cells.example.com").
  public let endpoint: String
  /// The bucket ("io" on Cells).
  public let bucket: String
  let http: HTTPClient
  let credentials: any S3CredentialSource
  let retry: RetryPolicy
  let region: String
  let now: @Sendable () -> Date

  /// A client; `now` is injectable so tests can sign with a fixed or skewed clock.
  public init(
    endpoint: String, bucket: String = "io", credentials: any S3CredentialSource, http: HTTPClient,
    retry: RetryPolicy = RetryPolicy(), region: String = "us-east-1", now: @escaping @Sendable () -> Date = Date.init
  ) {
    self.endpoint = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
    self.bucket = bucket
    self.credentials = credentials
    self.http = http
    self.retry = retry
    self.region = region
    self.now = now
  }

  /// A client with connections of its own, under the default HTTP settings.
  public convenience init(
    endpoint: String, bucket: String, credentials: any S3CredentialSource, region: String
  ) throws {
    self.init(endpoint: endpoint, bucket: bucket, credentials: credentials, http: try HTTPClient(), region: region)
  }

  /// One S3 request: what to send, and how to rebuild its body for a retry.
  struct Call {
    var operation: String
    var method: String
    var key: String
    var query: [(name: String, value: String?)] = []
    var headers: HTTPHeaders = [:]
    var body: (@Sendable () -> HTTPRequestBody)?
  }

  /// Sends `call` and reads its 2xx answer with `read`, retrying the whole exchange (the
  /// body included) under `retry`; see `send(_:makeCall:read:)`.
  func send<T>(_ call: Call, read: (HTTPResponse) async throws -> T) async throws -> T {
    try await send(call.operation, makeCall: { call }, read: read)
  }

  /// Sends the call `makeCall` gives for each attempt and returns what `read` makes of its 2xx
  /// answer.
  ///
  /// The attempt is the whole exchange: a body cut or stalled while `read` reads it is retried
  /// like a refused connection (`read` may resume where the last attempt stopped, as `get`
  /// does). Passing failures (`classify`) are retried with backoff, honouring `Retry-After`; a
  /// 403 is retried once with renewed credentials when the credential source can renew them.
  func send<T>(
    _ operation: String, makeCall: () -> Call, read: (HTTPResponse) async throws -> T
  ) async throws -> T {
    var signing: S3Credentials?
    var serverDelay: Duration?
    return try await retry.run(operation) { _ in
      let call = makeCall()
      let credentials = try await self.credentials.current()
      signing = credentials
      serverDelay = nil
      do {
        let response = try await http.execute(try request(for: call, signedWith: credentials))
        guard (200..<300).contains(response.status) else {
          serverDelay = response.retryAfter
          throw try await S3Error(response: response, operation: call.operation, key: call.key)
        }
        return try await read(response)
      } catch let error as HTTPError {
        throw S3Error.transport(operation: call.operation, key: call.key, error)
      }
    } classify: { error in
      guard let error = error as? S3Error else { return .fail }
      switch error {
      case .transport(_, _, let transport):
        return .transport(transport)
      case .accessDenied:
        guard let signing, try await credentials.renew(rejected: signing) != nil else { return .fail }
        return .renewed
      case .server(_, _, let status, let code, _):
        let passing = HTTPResponse.isPassing(status: status) || Self.passingErrorCodes.contains(code)
        return passing ? .retry(reason: "HTTP \(status) \(code)", after: serverDelay) : .fail
      case .shortBody:
        return .retry(reason: "\(error)")
      case .notFound, .changedDuringDownload, .longBody, .invalidResponse:
        return .fail
      }
    }
  }

  /// Error codes that are passing whatever the status (S3 servers send some with a 200, as the
  /// body of a CompleteMultipartUpload that failed late).
  static let passingErrorCodes: Set<String> = ["InternalError", "ServiceUnavailable", "SlowDown", "RequestTimeout"]

  private func request(for call: Call, signedWith credentials: S3Credentials) throws -> HTTPRequest {
    let target = S3Path.target(bucket: bucket, key: call.key, query: call.query)
    let signer = SigV4Signer(
      accessKey: credentials.accessKey, secretKey: credentials.secretKey, region: region, service: "s3")
    let payload: SigV4Signer.Payload = call.body == nil ? .emptyBody : .unsigned
    var headers = call.headers.map { ($0.name, $0.value) }
    if let token = credentials.sessionToken { headers.append(("x-amz-security-token", token)) }
    let signed = try signer.sign(
      method: call.method, url: URL(string: endpoint + target)!, headers: headers, payload: payload, date: now())
    var request = HTTPHeaders()
    for (name, value) in signed { request.add(name, value) }
    return HTTPRequest(method: call.method, url: endpoint + target, headers: request, body: call.body?())
  }
}

extension S3Error {
  /// The error an S3 error answer stands for, from its XML body (`<Error><Code>…`).
  init(response: HTTPResponse, operation: String, key: String) async throws {
    let body = (try? await response.body.collect(upTo: 1 << 20)) ?? []
    let document = try? S3XMLDocument(parsing: body)
    let code = document?.fields["Code"] ?? "HTTP\(response.status)"
    let message = document?.fields["Message"] ?? String(decoding: body.prefix(200), as: UTF8.self)
    switch (response.status, code) {
    case (404, "NoSuchBucket"):
      self = .server(operation: operation, key: key, status: 404, code: code, message: "the bucket does not exist")
    case (404, _): self = .notFound(operation: operation, key: key)
    case (403, _), (401, _): self = .accessDenied(operation: operation, key: key, code: code, message: message)
    default: self = .server(operation: operation, key: key, status: response.status, code: code, message: message)
    }
  }
}

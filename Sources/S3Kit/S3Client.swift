// S3Kit: a client for the Cells S3 gateway (path style, SigV4, UNSIGNED-PAYLOAD) over HTTPKit.
import Foundation
import HTTPKit

/// Talks to one bucket of an S3-compatible endpoint, path style.
///
/// Every request is signed with SigV4 (bodies as `UNSIGNED-PAYLOAD`, never aws-chunked, which the
/// Cells gateway does not support) with the credentials of the moment. Transient failures and 5xx
/// answers are retried under `retry`; a 403 is retried once with renewed credentials when the
/// credential source can renew them (an expired token).
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

  /// One S3 request: what to send, and how to rebuild its body for a retry.
  struct Call {
    var operation: String
    var method: String
    var key: String
    var query: [(name: String, value: String?)] = []
    var headers: HTTPHeaders = [:]
    var body: (@Sendable () -> HTTPRequestBody)?
  }

  /// Sends `call` until it gets a 2xx answer (returned with its body unread) or a final error.
  func send(_ call: Call) async throws -> HTTPResponse {
    let start = ContinuousClock.now
    var attempt = 0
    var renewed = false
    while true {
      attempt += 1
      let signingCredentials = try await credentials.current()
      let failure: (reason: String, error: any Error)
      do {
        let response = try await http.execute(try request(for: call, signedWith: signingCredentials))
        if (200..<300).contains(response.status) { return response }
        let error = try await S3Error(response: response, operation: call.operation, key: call.key)
        if response.status == 403, !renewed,
          (try await credentials.renew(rejected: signingCredentials)) != nil
        {
          renewed = true
          attempt -= 1
          continue
        }
        guard response.status >= 500 else { throw error }
        failure = ("HTTP \(response.status)", error)
      } catch let error as HTTPError where error.isTransient {
        failure = ("\(error)", S3Error.transport(operation: call.operation, key: call.key, error))
      } catch let error as HTTPError {
        throw S3Error.transport(operation: call.operation, key: call.key, error)
      }
      guard
        let delay = retry.nextDelay(after: attempt, since: start, operation: call.operation, reason: failure.reason)
      else { throw failure.error }
      try await Task.sleep(for: delay)
    }
  }

  private func request(for call: Call, signedWith credentials: S3Credentials) throws -> HTTPRequest {
    let target = S3Path.target(bucket: bucket, key: call.key, query: call.query)
    let signer = SigV4Signer(
      accessKey: credentials.accessKey, secretKey: credentials.secretKey, region: region, service: "s3")
    let payload: SigV4Signer.Payload = call.body == nil ? .emptyBody : .unsigned
    let signed = try signer.sign(
      method: call.method, url: URL(string: endpoint + target)!, headers: call.headers.map { ($0.name, $0.value) },
      payload: payload, date: now())
    var headers = HTTPHeaders()
    for (name, value) in signed { headers.add(name, value) }
    return HTTPRequest(method: call.method, url: endpoint + target, headers: headers, body: call.body?())
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
    case (404, _): self = .notFound(operation: operation, key: key)
    case (403, _), (401, _): self = .accessDenied(operation: operation, key: key, code: code, message: message)
    default: self = .server(operation: operation, key: key, status: response.status, code: code, message: message)
    }
  }
}

// S3Kit: AWS Signature Version 4 for S3 requests, pure and deterministic (the time is an argument).
import Foundation

/// Signs HTTP requests with AWS Signature Version 4, header form, for path-style S3.
///
/// A value holding credentials and scope; signing reads no clock and no global state, so the same
/// inputs always give the same headers. The steps are public under their AWS names
/// (`canonicalRequest`, `stringToSign`, `signingKey`, `signature`) so each can be checked against
/// published vectors, and `SigV4Verifier` reuses them on the server side.
///
/// The request target is taken as it goes on the wire (build it with `S3Path`); its canonical form
/// decodes and re-encodes each part, so an encoded key is never encoded twice.
public struct SigV4Signer: Sendable {
  /// The signing algorithm named in the `Authorization` header.
  public static let algorithm = "AWS4-HMAC-SHA256"

  /// Headers that are never signed, as in botocore: hop-by-hop headers and ones that proxies and
  /// HTTP libraries add or rewrite (`user-agent`, `expect`).
  public static let unsignedHeaderNames: Set<String> = [
    "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
    "trailer", "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id",
  ]

  /// The access key id (for Cells, the bearer token).
  public var accessKey: String
  /// The secret access key (for Cells, "gatewaysecret").
  public var secretKey: String
  /// The region of the credential scope.
  public var region: String
  /// The service of the credential scope.
  public var service: String

  /// Creates a signer; Cells' gateway expects region "us-east-1" and service "s3".
  public init(
    accessKey: String, secretKey: String, region: String = "us-east-1", service: String = "s3"
  ) {
    self.accessKey = accessKey
    self.secretKey = secretKey
    self.region = region
    self.service = service
  }

  /// Signs a request to `url` (whose path and query must be percent-encoded as they will be sent)
  /// and returns `headers` plus `Host` (when absent; with the port unless it is the scheme's
  /// default), `x-amz-date`, `x-amz-content-sha256` and `Authorization`.
  ///
  /// Existing `Authorization`, `x-amz-date` and `x-amz-content-sha256` headers are replaced. Every
  /// header except `unsignedHeaderNames` is signed, so send all of them unchanged.
  public func sign(
    method: String, url: URL, headers: [(name: String, value: String)] = [], payload: Payload,
    date: Date
  ) throws -> [(name: String, value: String)] {
    guard let parts = URLComponents(url: url, resolvingAgainstBaseURL: false) else {
      throw SigningError.invalidURL(url.absoluteString)
    }
    var headers = headers
    if !headers.contains(where: { $0.name.lowercased() == "host" }) {
      headers.insert((name: "Host", value: try Self.hostHeader(of: parts)), at: 0)
    }
    return try sign(
      method: method, rawPath: parts.percentEncodedPath, rawQuery: parts.percentEncodedQuery,
      headers: headers, payload: payload, date: date)
  }

  /// Signs a request given its target as sent on the wire (`rawPath` such as "/io/a%20b",
  /// `rawQuery` without "?"); `headers` must include `Host`.
  ///
  /// Returns `headers` plus `x-amz-date`,
  /// `x-amz-content-sha256` and `Authorization`.
  public func sign(
    method: String, rawPath: String, rawQuery: String?, headers: [(name: String, value: String)],
    payload: Payload, date: Date
  ) throws -> [(name: String, value: String)] {
    let replaced: Set<String> = ["authorization", "x-amz-date", "x-amz-content-sha256"]
    var result = headers.filter { !replaced.contains($0.name.lowercased()) }
    guard result.contains(where: { $0.name.lowercased() == "host" }) else {
      throw SigningError.missingHost
    }
    let amzDate = Self.timestamp(date)
    let payloadHash = try payload.headerValue()
    result.append((name: "x-amz-date", value: amzDate))
    result.append((name: "x-amz-content-sha256", value: payloadHash))

    let signed = result.filter { !Self.unsignedHeaderNames.contains($0.name.lowercased()) }
    let canonical = Self.canonicalRequest(
      method: method, rawPath: rawPath, rawQuery: rawQuery, headers: signed,
      payloadHash: payloadHash)
    let dateStamp = String(amzDate.prefix(8))
    let signature = try Self.signature(
      stringToSign: try stringToSign(canonicalRequest: canonical, amzDate: amzDate),
      signingKey: try signingKey(dateStamp: dateStamp))
    let authorization = SigV4Authorization(
      accessKey: accessKey, date: dateStamp, region: region, service: service,
      signedHeaders: Self.signedHeaderNames(signed), signature: signature)
    result.append((name: "Authorization", value: authorization.headerValue))
    return result
  }

  /// The `x-amz-date` spelling of `date` in UTC, fractional seconds dropped: "20130524T000000Z".
  public static func timestamp(_ date: Date) -> String {
    SigV4Timestamp.format(date)
  }

  /// The Host header of a URL: the lowercased host (IPv6 in brackets) and ":port" unless the port
  /// is absent or the default of http (80) or https (443), as botocore and curl write it.
  static func hostHeader(of parts: URLComponents) throws -> String {
    guard let host = parts.host, !host.isEmpty else { throw SigningError.missingHost }
    var value = host.lowercased()
    if value.contains(":") && !value.hasPrefix("[") { value = "[" + value + "]" }
    let defaultPort = ["http": 80, "https": 443][parts.scheme?.lowercased() ?? ""]
    if let port = parts.port, port != defaultPort { value += ":\(port)" }
    return value
  }
}

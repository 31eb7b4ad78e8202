// S3Kit: the keys requests are signed with, and where fresh ones come from.

/// An access key and its secret (for Cells: a bearer token and "gatewaysecret").
public struct S3Credentials: Sendable, Equatable {
  /// The access key id.
  public var accessKey: String
  /// The secret access key.
  public var secretKey: String
  /// The session token of temporary credentials (`AWS_SESSION_TOKEN`), sent as
  /// `x-amz-security-token`.
  public var sessionToken: String?

  /// Credentials from their parts.
  public init(accessKey: String, secretKey: String, sessionToken: String? = nil) {
    self.accessKey = accessKey
    self.secretKey = secretKey
    self.sessionToken = sessionToken
  }
}

/// Supplies the credentials for each request, and new ones when the server refuses them.
public protocol S3CredentialSource: Sendable {
  /// The credentials to sign the next request with.
  func current() async throws -> S3Credentials
  /// Fresh credentials after the server refused `rejected` (an expired token), or nil when none
  /// can be had. Concurrent callers that saw the same rejection should share one renewal.
  func renew(rejected: S3Credentials) async throws -> S3Credentials?
}

/// Credentials that never change and cannot be renewed.
public struct StaticCredentials: S3CredentialSource {
  /// The credentials.
  public let credentials: S3Credentials

  /// Wraps fixed credentials.
  public init(_ credentials: S3Credentials) { self.credentials = credentials }

  /// The fixed credentials.
  public func current() async throws -> S3Credentials { credentials }

  /// Always nil: fixed credentials have no successor.
  public func renew(rejected: S3Credentials) async throws -> S3Credentials? { nil }
}

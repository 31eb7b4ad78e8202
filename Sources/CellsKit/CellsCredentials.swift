// CellsKit: the token of a run, and its renewal when it expires mid-run.
import Foundation
import HTTPKit
import S3Kit

/// What cellar authenticates with: a bearer token, optionally with a login and password that
/// can fetch a new one.
public struct CellsLogin: Sendable {
  /// The user's login.
  public var login: String
  /// The password.
  public var password: String

  /// A login and its password.
  public init(login: String, password: String) {
    self.login = login
    self.password = password
  }
}

/// Holds the current token for every worker of a run and renews it once, for all of them, when
/// the server refuses it (single flight). Also the S3 credential source: access key = token,
/// secret = "gatewaysecret".
public actor CellsCredentials: S3CredentialSource {
  /// The S3 gateway's fixed secret.
  public static let gatewaySecret = "gatewaysecret"

  private var token: String?
  private let login: CellsLogin?
  private var renewal: Task<String, any Error>?
  private var sessionEndpoint: (@Sendable (CellsLogin) async throws -> String)?

  /// Credentials starting from `token` (a personal access token), or from a login when nil.
  public init(token: String?, login: CellsLogin?) {
    self.token = token
    self.login = login
  }

  /// Installs how a login becomes a token (the REST client does this).
  func setSessionEndpoint(_ endpoint: @escaping @Sendable (CellsLogin) async throws -> String) {
    sessionEndpoint = endpoint
  }

  /// The token to send now, logging in first when there is none yet.
  public func currentToken() async throws -> String {
    if let token { return token }
    guard let fresh = try await renewToken(rejected: nil) else {
      throw CellsAPIError.unauthorized(operation: "authenticate", path: "", detail: "no token and no login given")
    }
    return fresh
  }

  /// A new token after `rejected` was refused, or nil when there is no way to get one.
  ///
  /// Callers that saw the same rejected token share one login.
  public func renewToken(rejected: String?) async throws -> String? {
    if let token, token != rejected { return token }
    if renewal == nil {
      guard let login, let sessionEndpoint else { return nil }
      renewal = Task { try await sessionEndpoint(login) }
    }
    guard let task = renewal else { return nil }
    defer { if renewal == task { renewal = nil } }
    let fresh = try await task.value
    // Waiters resume in any order: whichever comes first stores the token, before any of them
    // can read it for a retry.
    if token == rejected { token = fresh }
    return token
  }

  /// The S3 credentials of the current token.
  public func current() async throws -> S3Credentials {
    S3Credentials(accessKey: try await currentToken(), secretKey: Self.gatewaySecret)
  }

  /// S3 credentials of a renewed token, or nil when it cannot be renewed.
  public func renew(rejected: S3Credentials) async throws -> S3Credentials? {
    try await renewToken(rejected: rejected.accessKey).map {
      S3Credentials(accessKey: $0, secretKey: Self.gatewaySecret)
    }
  }
}

// CellsSandbox: the errors handlers throw, and how each side (REST, S3) reports them.

/// A failure while serving a request.
///
/// The REST side turns it into `{"Title","Detail"}` with its HTTP status; the S3 side into an S3
/// XML error (docs/cells-protocol.md, "Errors").
public enum SandboxError: Error, Equatable, Sendable {
  /// No token, or an unknown or expired one (REST 401).
  case unauthorized
  /// The caller may not do this (REST 403, S3 AccessDenied).
  case forbidden(String)
  /// No node, folder, namespace or upload (REST 404, S3 NoSuchKey).
  case notFound(String)
  /// Bad JSON or an unknown input field: HTTP 500, as v2–v4 answer (docs/cells-protocol.md, "Wire format").
  case badInput(String)
  /// A file where a folder is needed or the reverse.
  case typeConflict(String)
  /// A `content_lock` held by someone else (HTTP 423).
  case locked(String)
  /// A variant the server does not implement (HTTP 501).
  case notImplemented(String)
  /// Anything else the server cannot do (HTTP 500).
  case internalError(String)
  /// A failure injected on purpose (HTTP status chosen by the fault plan).
  case injected(status: Int)

  /// The REST status code.
  var httpStatus: Int {
    switch self {
    case .unauthorized: 401
    case .forbidden: 403
    case .notFound: 404
    case .badInput, .typeConflict, .internalError: 500
    case .locked: 423
    case .notImplemented: 501
    case .injected(let status): status
    }
  }

  /// A one-line description, used as the REST `Title` and the S3 `Message`.
  public var message: String {
    switch self {
    case .unauthorized: "Unauthorized"
    case .forbidden(let m), .notFound(let m), .badInput(let m), .typeConflict(let m),
      .internalError(let m), .locked(let m), .notImplemented(let m):
      m
    case .injected(let status): "Injected failure (\(status))"
    }
  }

  /// The late-v4/v5 style API code carried in `Detail`.
  var apiCode: String {
    switch self {
    case .unauthorized: "E_UNAUTHORIZED"
    case .forbidden: "E_FORBIDDEN"
    case .notFound: "E_NOT_FOUND"
    case .badInput, .typeConflict, .internalError, .notImplemented: "E_INTERNAL_ERROR"
    case .locked: "E_RESOURCE_LOCKED"
    case .injected(503): "E_SERVICE_UNAVAILABLE"
    case .injected(429): "E_TOO_MANY_REQUESTS"
    case .injected: "E_INTERNAL_ERROR"
    }
  }
}

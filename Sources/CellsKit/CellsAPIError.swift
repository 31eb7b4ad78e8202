// CellsKit: how a call to the Cells REST API can fail, in words a user can act on.
import HTTPKit

/// A failed REST call, naming the operation and the path it was about.
///
/// The token is never part of a message.
public enum CellsAPIError: Error, Equatable, Sendable, CustomStringConvertible {
  /// 401: the token is missing, wrong or expired, and no new one could be had.
  case unauthorized(operation: String, path: String, detail: String)
  /// The server refused the token (401: invalid or expired) and there is no login to get another.
  case tokenExpired(operation: String, path: String)
  /// 403: the user may not do this here.
  case forbidden(operation: String, path: String, detail: String)
  /// 404: no such node, folder or namespace.
  case notFound(operation: String, path: String, detail: String)
  /// Any other error status, with the server's `Title` and `Detail`.
  case server(operation: String, path: String, status: Int, title: String, detail: String)
  /// No answer (connection, timeout, TLS), after the retries.
  case transport(operation: String, path: String, HTTPError)
  /// The answer could not be decoded.
  case invalidResponse(operation: String, path: String, message: String)
  /// Logging in failed.
  case loginFailed(login: String, detail: String)

  /// One line for the user.
  public var description: String {
    switch self {
    case .unauthorized(let operation, let path, let detail):
      "\(operation) \(path): not authorized (401)\(suffix(detail))"
    case .tokenExpired(let operation, let path):
      "\(operation) \(path): the server refused the token (401: invalid or expired); an operator "
        + "makes a new one on the server (cells admin user token -u LOGIN -e 8760h), "
        + "or give --login with --password-file so that each run logs in"
    case .forbidden(let operation, let path, let detail):
      "\(operation) \(path): permission denied (403)\(suffix(detail))"
    case .notFound(let operation, let path, let detail): "\(operation) \(path): not found (404)\(suffix(detail))"
    case .server(let operation, let path, let status, let title, let detail):
      "\(operation) \(path): HTTP \(status)\(suffix(title))\(suffix(detail))"
    case .transport(let operation, let path, let error): "\(operation) \(path): \(error)"
    case .invalidResponse(let operation, let path, let message): "\(operation) \(path): unexpected answer: \(message)"
    case .loginFailed(let login, let detail): "login as \(login) failed\(suffix(detail))"
    }
  }

  private func suffix(_ text: String) -> String { text.isEmpty ? "" : ": \(text)" }
}

// Transfer failures, translated once from curl's codes with curl's own message kept.

/// Why an HTTP transfer failed before a complete response was received.
///
/// An HTTP status, even 500,
/// is not an error here: it is a response.
public enum HTTPError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The URL could not be used (bad syntax or an unsupported scheme).
  case invalidURL(url: String, message: String)
  /// No connection could be made (refused, unreachable, name not resolved).
  case connectFailed(url: String, message: String)
  /// The connect timeout or the idle timeout ran out.
  case timedOut(url: String, message: String)
  /// The TLS handshake or the certificate check failed.
  case tls(url: String, message: String)
  /// The connection broke while sending the request or receiving the response.
  case connectionLost(url: String, message: String)
  /// A response body was larger than the caller accepts.
  case responseTooLarge(url: String, limit: Int)
  /// Any other curl failure, with its code and message.
  case transfer(url: String, code: Int, message: String)

  /// True when trying the same request again may succeed (network trouble, not a wrong request).
  public var isTransient: Bool {
    switch self {
    case .connectFailed, .timedOut, .connectionLost: true
    default: false
    }
  }

  /// One line for the user.
  public var description: String {
    switch self {
    case .invalidURL(let url, let message): "invalid URL \(url): \(message)"
    case .connectFailed(let url, let message): "cannot connect to \(url): \(message)"
    case .timedOut(let url, let message): "timed out on \(url): \(message)"
    case .tls(let url, let message): "TLS failure with \(url): \(message)"
    case .connectionLost(let url, let message): "connection lost with \(url): \(message)"
    case .responseTooLarge(let url, let limit): "response from \(url) is larger than \(limit) bytes"
    case .transfer(let url, let code, let message): "transfer of \(url) failed (curl \(code)): \(message)"
    }
  }
}

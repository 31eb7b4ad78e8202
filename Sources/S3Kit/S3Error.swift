// S3Kit: every way an S3 operation can fail, with what the user needs to know.
import HTTPKit

/// A failed S3 operation; each case names the operation and the key.
public enum S3Error: Error, Equatable, Sendable, CustomStringConvertible {
  /// The key does not exist (404, NoSuchKey).
  case notFound(operation: String, key: String)
  /// The server refused the credentials or the access (403) and they could not be renewed.
  case accessDenied(operation: String, key: String, code: String, message: String)
  /// Any other error answer: HTTP status, S3 error code and message.
  case server(operation: String, key: String, status: Int, code: String, message: String)
  /// The request did not get an answer (connection, timeout, TLS), after the retries.
  case transport(operation: String, key: String, HTTPError)
  /// A resumed download met a different object (its ETag changed).
  case changedDuringDownload(key: String, expectedETag: String, actualETag: String)
  /// The body ended before its announced length.
  case shortBody(key: String, expected: Int64, received: Int64)
  /// The body went on past its announced length.
  case longBody(key: String, expected: Int64)
  /// The server's answer could not be understood.
  case invalidResponse(operation: String, key: String, message: String)

  /// One line for the user.
  public var description: String {
    switch self {
    case .notFound(let operation, let key): "\(operation) \(key): no such key"
    case .accessDenied(let operation, let key, let code, let message):
      "\(operation) \(key): access denied (\(code)): \(message)"
    case .server(let operation, let key, let status, let code, let message):
      "\(operation) \(key): HTTP \(status) \(code): \(message)"
    case .transport(let operation, let key, let error): "\(operation) \(key): \(error)"
    case .changedDuringDownload(let key, let expected, let actual):
      "\(key) changed during download (ETag \(expected), now \(actual))"
    case .shortBody(let key, let expected, let received):
      "\(key): body ended after \(received) of \(expected) bytes"
    case .longBody(let key, let expected): "\(key): body longer than the \(expected) bytes announced"
    case .invalidResponse(let operation, let key, let message): "\(operation) \(key): \(message)"
    }
  }
}

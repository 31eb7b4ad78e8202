// S3Kit: the errors of signing and verifying SigV4 requests.
import Foundation

/// A request that cannot be signed, or an `Authorization` header that cannot be checked.
public enum SigningError: Error, Equatable, Sendable {
  /// The URL has no host, or a raw-path request has no `Host` header.
  case missingHost
  /// The URL cannot be split into host, path and query.
  case invalidURL(String)
  /// A `.sha256` payload hash that is not 64 hexadecimal digits.
  case invalidPayloadHash(String)
  /// An `Authorization` header that is not AWS SigV4; `reason` says which part is wrong.
  case malformedAuthorization(reason: String)
  /// A header that verification needs is absent (lowercase name).
  case missingHeader(String)
}

extension SigningError: LocalizedError {
  /// A one-line description for the user.
  public var errorDescription: String? {
    switch self {
    case .missingHost: "cannot sign a request without a host"
    case .invalidURL(let url): "cannot sign a request to the malformed URL \(url)"
    case .invalidPayloadHash(let hash): "the payload hash \"\(hash)\" is not a hex SHA-256"
    case .malformedAuthorization(let reason): "malformed SigV4 Authorization header: \(reason)"
    case .missingHeader(let name): "the signed request has no \(name) header"
    }
  }
}

// HashKit: the one error type of the module, with OpenSSL's own message captured where it failed.
internal import CCrypto
import Foundation

/// A failure of the cryptographic library behind HashKit.
///
/// Every case carries OpenSSL's error text, read from its per-thread error queue right after the
/// failing call, so the user sees the library's reason (for example "unsupported" when a FIPS-only
/// configuration disables MD5) instead of a bare return code.
public enum HashError: Error, Equatable, Sendable {
  /// OpenSSL has no usable implementation of `algorithm` (fetching it returned NULL).
  case algorithmUnavailable(algorithm: String, reason: String)
  /// The OpenSSL call named by `function` returned NULL or failed.
  case openSSLFailure(function: String, reason: String)
  /// An authenticated decryption found a tag that does not match: the wrong key, or data that was
  /// changed or damaged. Kept apart from `openSSLFailure` because callers report it as damage.
  case authenticationFailed
}

extension HashError: LocalizedError {
  /// A one-line description for the user.
  public var errorDescription: String? {
    switch self {
    case .algorithmUnavailable(let algorithm, let reason):
      "\(algorithm) is not available in OpenSSL: \(reason)"
    case .openSSLFailure(let function, let reason):
      "OpenSSL call \(function) failed: \(reason)"
    case .authenticationFailed:
      "the data failed authentication: wrong key, or changed or damaged"
    }
  }
}

extension HashError {
  /// The failure of `function`, with the OpenSSL error queue drained into `reason`.
  static func openSSL(_ function: String) -> HashError {
    .openSSLFailure(function: function, reason: drainOpenSSLErrors())
  }

  /// An unavailable algorithm, with the OpenSSL error queue drained into `reason`.
  static func unavailable(_ algorithm: String) -> HashError {
    .algorithmUnavailable(algorithm: algorithm, reason: drainOpenSSLErrors())
  }

  /// Empties this thread's OpenSSL error queue and returns its messages, oldest first.
  ///
  /// Draining matters: the queue is per thread and a stale entry left behind would be reported by
  /// the next, unrelated failure on the same thread. Wraps `ERR_get_error` and `ERR_error_string_n`.
  static func drainOpenSSLErrors() -> String {
    var messages: [String] = []
    var code = ERR_get_error()
    while code != 0 {
      var buffer = [CChar](repeating: 0, count: 256)
      ERR_error_string_n(code, &buffer, buffer.count)
      messages.append(buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })
      code = ERR_get_error()
    }
    return messages.isEmpty ? "no error reported by OpenSSL" : messages.joined(separator: "; ")
  }
}

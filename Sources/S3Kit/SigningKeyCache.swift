// S3Kit: the last SigV4 signing key derived, kept for the requests that follow.
import Synchronization

/// Holds the most recently derived signing key and the scope it was derived for.
///
/// One entry is enough: a client signs with one secret, a region and a service, and the date
/// part changes once a day. A different scope simply replaces it.
final class SigningKeyCache: Sendable {
  /// What a signing key is derived from.
  struct Scope: Equatable {
    var secretKey: String
    var dateStamp: String
    var region: String
    var service: String
  }

  /// The cache every signer and verifier of the process shares.
  static let shared = SigningKeyCache()

  private let entry = Mutex<(scope: Scope, key: [UInt8])?>(nil)

  /// The key kept for `scope`, if it is the one kept.
  func key(for scope: Scope) -> [UInt8]? {
    entry.withLock { entry in entry?.scope == scope ? entry?.key : nil }
  }

  /// Keeps `key` as the key of `scope`.
  func keep(_ key: [UInt8], for scope: Scope) {
    entry.withLock { $0 = (scope, key) }
  }
}

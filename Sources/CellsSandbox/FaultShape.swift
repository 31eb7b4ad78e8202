// CellsSandbox: the ways an injected fault breaks a request, as real networks and servers do.

/// How one request fails when the fault plan picks it.
///
/// The first three act before the request is served (nothing changes on the server); the others
/// act on the answer of a request that was served, so a write took effect and its answer is lost,
/// cut or late: what a client must survive without losing or doubling data.
public enum FaultShape: String, CaseIterable, Sendable, Codable {
  /// 500 or 503 with an error body (JSON for REST, S3 XML for the gateway); not served.
  case error
  /// 429 with `Retry-After: 1`; not served.
  case throttle
  /// The connection is closed before any answer; not served.
  case reset
  /// Served, then the connection is closed before the answer's head (a lost answer).
  case lost
  /// Served; the body stops at a random byte and the connection is closed. An answer without a
  /// body is lost instead.
  case cut
  /// Served; the head waits `FaultSettings.stallSeconds`, longer than a client's idle timeout.
  case stall
  /// Served; the first bytes of the body come a few at a time, slowly, but the body is whole.
  case trickle
  /// Served, then answered 200 with nothing in it: `{}` for REST, an empty ListBucketResult for
  /// ListObjectsV2 (other S3 operations are answered normally). A lying server, not a failing
  /// network: only what is aimed at it (never part of `failures`).
  case empty

  /// Served; one byte of the body is flipped, the length kept: bytes damaged on the way, which
  /// only a checksum catches. Aimed only (never part of `failures`).
  case corrupt

  /// The shapes real networks and servers fail in (`--fail-shapes all`): every one but `empty`
  /// and `corrupt`.
  public static let failures: [FaultShape] = allCases.filter { $0 != .empty && $0 != .corrupt }

  /// Every shape's name, comma-separated, for messages.
  public static var allNames: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

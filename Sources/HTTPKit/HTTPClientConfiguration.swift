// Settings shared by every transfer of one HTTPClient.

/// How an HTTPClient connects, verifies TLS, times out and buffers.
public struct HTTPClientConfiguration: Sendable {
  /// How server certificates are checked.
  public enum TLSVerification: Sendable, Equatable {
    /// Verify against the system's trusted certificates (the default).
    case system
    /// Verify against the PEM certificates in this file instead.
    case caFile(String)
    /// Do not verify at all. Callers must warn the user loudly.
    case insecure
  }

  /// The longest a connection (TCP and TLS handshake) may take.
  public var connectTimeout: Duration = .seconds(30)
  /// The longest a transfer may go without moving a single byte either way (a paused transfer,
  /// waiting on a slow consumer, is not idle).
  public var idleTimeout: Duration = .seconds(120)
  /// Certificate verification.
  public var tlsVerification: TLSVerification = .system
  /// At most this many connections to one host at once; further transfers wait for a free one.
  public var maxConnectionsPerHost: Int = 64
  /// Idle connections kept open for reuse.
  public var maxCachedConnections: Int = 64
  /// How many received bytes one response may hold before the transfer pauses until the reader
  /// catches up (the read-side memory bound, per response).
  public var responseBufferBytes: Int = 1 << 20
  /// Paces the bytes received by every transfer sharing it (nil: no limit).
  public var receiveLimiter: BandwidthLimiter?
  /// Paces the bytes sent by every transfer sharing it (nil: no limit).
  public var sendLimiter: BandwidthLimiter?
  /// The `User-Agent` sent when a request sets none.
  public var userAgent: String = "cellar"

  /// The default settings.
  public init() {}
}

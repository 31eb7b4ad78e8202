// CellsSandbox: how a sandbox is started.

/// Start-up settings of a sandbox.
public struct SandboxOptions: Sendable {
  /// The Cells version `/a/config/discovery` reports.
  public static let emulatedVersion = "4.4.0"
  /// The S3 secret every token pairs with (docs/cells-protocol.md, "Authentication").
  public static let gatewaySecret = "gatewaysecret"

  /// The loopback address to bind.
  public var host = "127.0.0.1"
  /// The port; 0 picks a free one.
  public var port = 0
  /// Seconds a session token from `POST /a/frontend/session` stays valid.
  public var sessionLifetime = 3600
  /// Seconds after an S3 upload during which the node shows `Etag: "temporary"`.
  ///
  /// Meanwhile `x-cells-hash` is missing too, as while Cells indexes it
  /// (docs/cells-protocol.md, "Uploads and indexing").
  /// 0: indexed at once.
  public var indexingDelay = 0.0
  /// Whether the HTTP server logs its own errors (connection and shutdown noise) on stderr.
  public var logsServerErrors = false
  /// Faults injected from the start (changeable at run time).
  public var faults = FaultSettings()

  /// Delay added to every request, in milliseconds.
  public var latencyMilliseconds: Int {
    get { faults.latencyMilliseconds }
    set { faults.latencyMilliseconds = newValue }
  }
  /// Fraction (0…1) of requests answered 500 or 503 on purpose.
  public var failRate: Double {
    get { faults.failRate }
    set { faults.failRate = newValue }
  }
  /// Seed of the fault draws, so a failing run can be replayed.
  public var faultSeed: UInt64 {
    get { faults.seed }
    set { faults.seed = newValue }
  }

  /// Default settings: loopback, a free port, no faults.
  public init() {}
}

// CellsSandbox: deterministic fault injection (latency, 5xx answers, cut bodies, denied paths).
import Foundation
import Synchronization

/// The faults a sandbox injects, settable at start-up (`SandboxOptions`) and at run time
/// (`Sandbox.setFaults(_:)` or `POST /a/sandbox/faults`, admin only).
public struct FaultSettings: Sendable, Equatable {
  /// Delay added to every request, in milliseconds.
  public var latencyMilliseconds = 0
  /// Fraction (0…1) of requests answered 500 or 503.
  public var failRate = 0.0
  /// Fraction (0…1) of S3 GET bodies cut after half their bytes (the connection is closed).
  public var cutRate = 0.0
  /// User-context path prefixes (`common-files/secret`) that reads are refused on (403).
  public var deniedPrefixes: [String] = []
  /// Seed of the draws: the same seed and request order give the same faults.
  public var seed: UInt64 = 1

  /// No faults.
  public init() {}
}

/// Decides, request after request, whether to delay, fail or cut it.
///
/// Draws come from a seeded generator (SplitMix64), so a failing run can be replayed with the same
/// seed.
final class FaultPlan: Sendable {
  private struct State {
    var settings: FaultSettings
    var generator: UInt64
  }
  private let state: Mutex<State>

  init(settings: FaultSettings) {
    state = Mutex(State(settings: settings, generator: settings.seed))
  }

  var settings: FaultSettings {
    get { state.withLock { $0.settings } }
  }

  /// Replaces the settings and restarts the draws from their seed.
  func update(_ settings: FaultSettings) {
    state.withLock { $0 = State(settings: settings, generator: settings.seed) }
  }

  var latency: Duration { .milliseconds(settings.latencyMilliseconds) }

  /// The status to answer instead of serving the request (500 or 503), or nil to serve it.
  func injectedFailure() -> Int? {
    state.withLock { state in
      guard state.settings.failRate > 0 else { return nil }
      let draw = Self.unit(&state.generator)
      let pick = Self.next(&state.generator)
      guard draw < state.settings.failRate else { return nil }
      return pick & 1 == 0 ? 500 : 503
    }
  }

  /// Whether this GET body is to be cut mid-stream.
  func cutsBody() -> Bool {
    state.withLock { state in
      state.settings.cutRate > 0 && Self.unit(&state.generator) < state.settings.cutRate
    }
  }

  /// Whether reads of this user-context path are refused.
  func denies(_ contextPath: String) -> Bool {
    settings.deniedPrefixes.contains { prefix in
      let trimmed = UserPath.trim(prefix)
      return contextPath == trimmed || contextPath.hasPrefix(trimmed + "/")
    }
  }

  private static func unit(_ x: inout UInt64) -> Double {
    Double(next(&x) >> 11) / Double(UInt64(1) << 53)
  }

  /// SplitMix64: tiny, seedable, good enough for test faults.
  private static func next(_ x: inout UInt64) -> UInt64 {
    x &+= 0x9E37_79B9_7F4A_7C15
    var z = x
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

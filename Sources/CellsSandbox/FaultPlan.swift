// CellsSandbox: deterministic fault injection (latency, failures of every shape, denied paths).
import Foundation
import Synchronization

/// The faults a sandbox injects, settable at start-up (`SandboxOptions`) and at run time
/// (`Sandbox.setFaults(_:)` or `POST /a/sandbox/faults`, admin only).
public struct FaultSettings: Sendable, Equatable {
  /// Delay added to every request, in milliseconds.
  public var latencyMilliseconds = 0
  /// Fraction (0…1) of requests that fail, each in one of `shapes`.
  public var failRate = 0.0
  /// The shapes a failing request takes, drawn evenly (500/503 answers by default).
  public var shapes: [FaultShape] = [.error]
  /// The operations that may fail (`ListObjectsV2`, `UploadPart`, `tree/stats`…); empty: all.
  ///
  /// S3 operations go by their API names, REST ones by their path under `/a/`
  /// (`S3Operation`, `RESTAPI.operationName(method:path:)`).
  public var operations: [String] = []
  /// How long a `stall` holds the answer back, in seconds.
  public var stallSeconds = 3.0
  /// Fraction (0…1) of S3 GET bodies cut after half their bytes (the connection is closed).
  public var cutRate = 0.0
  /// User-context path prefixes (`common-files/secret`) that reads are refused on (403).
  public var deniedPrefixes: [String] = []
  /// Seed of the draws: the same seed and request order give the same faults.
  public var seed: UInt64 = 1
  /// Whether `ChildrenCount` (and the paging total) count a folder's `.pydio` marker, which the
  /// listings hide: Cells' index counts every child it holds at the folder's level
  /// (docs/cells-protocol.md, "Open questions").
  public var countsFolderMarkers = false

  /// No faults.
  public init() {}

  /// `failRate` of the requests of `operations` (all when empty) failing in `shapes`.
  public init(failRate: Double, shapes: [FaultShape], operations: [String] = [], seed: UInt64 = 1) {
    self.failRate = failRate
    self.shapes = shapes
    self.operations = operations
    self.seed = seed
  }
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

  /// Whether any request may fail (so that naming the operation is worth it).
  var failsRequests: Bool { settings.failRate > 0 && !settings.shapes.isEmpty }

  /// The fault this request of `operation` meets, or nil to serve it normally.
  ///
  /// Every request takes the same draws, aimed at it or not, so a seed replays a whole run.
  func fault(for operation: String) -> InjectedFault? {
    state.withLock { state in
      let settings = state.settings
      guard settings.failRate > 0, !settings.shapes.isEmpty else { return nil }
      let draw = Self.unit(&state.generator)
      let pick = Self.next(&state.generator)
      let detail = Self.next(&state.generator)
      guard draw < settings.failRate, settings.operations.isEmpty || settings.operations.contains(operation)
      else { return nil }
      let shape = settings.shapes[Int(pick % UInt64(settings.shapes.count))]
      return InjectedFault(shape: shape, detail: detail, stall: .milliseconds(Int(settings.stallSeconds * 1000)))
    }
  }

  /// Whether this GET body is to be cut after half its bytes (`cutRate`).
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

/// One fault drawn for one request.
struct InjectedFault: Sendable {
  /// How the request fails.
  var shape: FaultShape
  /// A random number for the shape's details (which status, which byte).
  var detail: UInt64
  /// How long a stall lasts.
  var stall: Duration

  /// 500 or 503, for `.error`.
  var status: Int { detail & 1 == 0 ? 500 : 503 }

  /// Where a body of `length` bytes is cut: somewhere in its first `length - 1` bytes.
  func cutOffset(length: Int) -> Int { Int(detail % UInt64(max(length, 1))) }
}

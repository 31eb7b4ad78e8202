// CellarCore: the counters of a run, shared by its stages, and the ticker that reports them.
import Synchronization

/// Counts what a run does and reports it: every event goes to the reporter, and a snapshot of the
/// counters is sent once a second while `run` lasts.
public final class ProgressTracker: Sendable {
  private let counters = Mutex(ProgressSnapshot())
  private let started = ContinuousClock.now
  /// Where events go.
  public let reporter: any ProgressReporter

  /// A tracker reporting to `reporter`.
  public init(reporter: any ProgressReporter) {
    self.reporter = reporter
  }

  /// Changes the counters.
  public func update(_ change: (inout ProgressSnapshot) -> Void) {
    counters.withLock { change(&$0) }
  }

  /// The counters now.
  public var snapshot: ProgressSnapshot {
    var snapshot = counters.withLock { $0 }
    let elapsed = ContinuousClock.now - started
    snapshot.elapsed = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    return snapshot
  }

  /// Reports `event`.
  public func report(_ event: ProgressEvent) {
    reporter.report(event)
  }

  /// Records and reports a failed node.
  public func fail(_ path: String, _ message: String) {
    update { $0.errors += 1 }
    report(.error(path: path, message: message))
  }

  /// Runs `body` while reporting the counters every `interval`.
  public func run<T: Sendable>(interval: Duration = .seconds(1), _ body: () async throws -> T) async throws -> T {
    let ticker = Task {
      while !Task.isCancelled {
        try await Task.sleep(for: interval)
        report(.progress(snapshot))
      }
    }
    defer { ticker.cancel() }
    return try await body()
  }
}

// CellarCore: the nodes a run could not handle, for the sidecar's `errors` and the exit code.
import Synchronization

/// Records failed nodes from any stage and reports each one as it happens.
///
/// The first `storedLimit` failures are kept for the sidecar; past that only the count grows,
/// so a run where everything fails cannot exhaust memory.
final class FailureLog: Sendable {
  private let failures = Mutex<(stored: [ManifestTrailer.Failure], count: Int)>(([], 0))
  private let tracker: ProgressTracker
  private let storedLimit: Int

  init(tracker: ProgressTracker, storedLimit: Int = 10_000) {
    self.tracker = tracker
    self.storedLimit = storedLimit
  }

  /// Records that `path` failed, and why.
  func add(_ path: String, _ message: String) {
    failures.withLock {
      $0.count += 1
      if $0.stored.count < storedLimit { $0.stored.append(.init(path: path, message: message)) }
    }
    tracker.fail(path, message)
  }

  /// How many failed.
  var count: Int { failures.withLock { $0.count } }

  /// The failures kept, plus a last line saying how many more there were.
  var records: [ManifestTrailer.Failure] {
    failures.withLock { log in
      let more = log.count - log.stored.count
      return log.stored + (more > 0 ? [.init(path: "", message: "\(more) more errors not listed")] : [])
    }
  }
}

// HashKit: a test hook that counts OpenSSL handles, so a lifecycle test can prove every one is freed.
import Synchronization

/// Counts the OpenSSL handles created and freed by owners created while it is the task-local
/// `current` tracker.
///
/// A task-local rather than a global counter: Swift Testing runs tests in parallel, and a global
/// count would mix in handles owned by other tests. An owner remembers the tracker it was created
/// under, so its `deinit` reports to the same tracker on whatever thread releases it.
final class HandleTracker: Sendable {
  /// The tracker that owners created in this task report to; nil outside lifecycle tests.
  @TaskLocal static var current: HandleTracker?

  private let allocatedCount = Atomic<Int>(0)
  private let freedCount = Atomic<Int>(0)

  /// Handles created so far.
  var allocated: Int { allocatedCount.load(ordering: .relaxed) }
  /// Handles freed so far.
  var freed: Int { freedCount.load(ordering: .relaxed) }
  /// Handles still alive.
  var live: Int { allocated - freed }

  func didAllocate() { allocatedCount.add(1, ordering: .relaxed) }
  func didFree() { freedCount.add(1, ordering: .relaxed) }
}

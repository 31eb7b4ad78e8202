// CellarCore: what must happen before a signalled process ends, whatever its tasks are doing.
import Foundation
import Synchronization

/// Clean-up actions run when a stopped command runs out of time to stop cleanly.
///
/// A local partial file is nameless and vanishes with the process, but an S3 multipart upload
/// outlives it: its parts stay stored (and billed) until aborted. `CommandRunner` runs these
/// actions, each bounded, just before it ends a process that did not stop within its grace.
public enum StopHooks {
  private static let actions = Mutex<[UUID: @Sendable () -> Void]>([:])

  /// Registers `action`; the returned key removes it.
  static func add(_ action: @escaping @Sendable () -> Void) -> UUID {
    let key = UUID()
    actions.withLock { $0[key] = action }
    return key
  }

  /// Removes the action registered under `key` (done, or done otherwise).
  static func remove(_ key: UUID) {
    actions.withLock { _ = $0.removeValue(forKey: key) }
  }

  /// Runs every registered action once, from a thread that may block (never the cooperative
  /// pool's).
  public static func runAll() {
    let pending = actions.withLock { actions in
      defer { actions.removeAll() }
      return Array(actions.values)
    }
    for action in pending { action() }
  }
}

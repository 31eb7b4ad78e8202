// CellarCore: async work awaited from a thread of our own (an archive reader's), which may block.
import Foundation
import Synchronization

/// Runs async work to its end and hands back its result to a thread that waits for it.
///
/// Only for threads outside the cooperative pool (a `ThreadExecutor`'s): the work runs as a
/// detached task on the pool, which a pool thread waiting here could starve.
enum BlockingCall {
  /// The result of `work`, waited for.
  static func run<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
    let outcome = Outcome<T>()
    let done = DispatchSemaphore(value: 0)
    Task.detached {
      let result: Result<T, any Error>
      do { result = .success(try await work()) } catch { result = .failure(error) }
      outcome.result.withLock { $0 = result }
      done.signal()
    }
    done.wait()
    return try outcome.result.withLock { $0! }.get()
  }

  private final class Outcome<T: Sendable>: Sendable {
    let result = Mutex<Result<T, any Error>?>(nil)
  }
}

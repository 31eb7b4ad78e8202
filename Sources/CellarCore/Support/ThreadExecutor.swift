// CellarCore: a serial executor on a thread of its own, for actors that make blocking C calls
// (libarchive compressing, write(2) to a slow disk) which must not hold a cooperative-pool thread.
import Foundation

/// Runs the jobs of the actors that use it, one at a time, on one dedicated thread.
///
/// The thread ends when `shutdown()` is called and the queued jobs are done.
final class ThreadExecutor: SerialExecutor, @unchecked Sendable {
  // Guarded by `condition`.
  private let condition = NSCondition()
  private var jobs: [UnownedJob] = []
  private var stopped = false

  /// Starts the thread, named `name` for debuggers and profilers.
  init(name: String) {
    let thread = Thread { [self] in run() }
    thread.name = name
    thread.start()
  }

  func enqueue(_ job: consuming ExecutorJob) {
    let job = UnownedJob(job)
    condition.lock()
    jobs.append(job)
    condition.signal()
    condition.unlock()
  }

  func asUnownedSerialExecutor() -> UnownedSerialExecutor { UnownedSerialExecutor(ordinary: self) }

  /// Lets the thread end once the queued jobs have run.
  func shutdown() {
    condition.lock()
    stopped = true
    condition.signal()
    condition.unlock()
  }

  private func run() {
    while true {
      condition.lock()
      while jobs.isEmpty && !stopped { condition.wait() }
      if jobs.isEmpty {
        condition.unlock()
        return
      }
      let batch = jobs
      jobs.removeAll(keepingCapacity: true)
      condition.unlock()
      for job in batch { job.runSynchronously(on: asUnownedSerialExecutor()) }
    }
  }
}

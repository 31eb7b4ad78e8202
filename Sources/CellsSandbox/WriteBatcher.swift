// CellsSandbox: group commit: the changes of concurrent requests committed in one transaction.
import GRDB
import Synchronization

/// Commits the changes of concurrent requests together, in one SQLite transaction.
///
/// Every change runs in a savepoint of its own, so one that throws is rolled back alone and the
/// others still commit; each caller is answered once its change is committed (or has failed). A
/// transaction costs a WAL write of every page it touched: one per upload made the serial write
/// queue the bottleneck of a many-file restore, and the callers waiting on it held threads of the
/// cooperative pool. Here they wait suspended, and the queue's own thread does the work.
///
/// Changes already queued when a transaction starts go into it; those arriving meanwhile go into
/// the next, queued behind whatever else waits for the database.
final class WriteBatcher: Sendable {
  /// One queued change: `run` applies it and returns how to answer its caller once committed.
  private struct Change: Sendable {
    let run: @Sendable (Database) throws -> @Sendable () -> Void
    let fail: @Sendable (any Error) -> Void
  }

  private struct State {
    var queued: [Change] = []
    var isScheduled = false
  }

  private let queue: DatabaseQueue
  private let state = Mutex(State())

  init(queue: DatabaseQueue) {
    self.queue = queue
  }

  /// Applies `change` in the next transaction and returns its result once that is committed.
  func write<T: Sendable>(_ change: @escaping @Sendable (Database) throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
      enqueue(
        Change(
          run: { db in
            let value = try change(db)
            return { continuation.resume(returning: value) }
          },
          fail: { continuation.resume(throwing: $0) }))
    }
  }

  private func enqueue(_ change: Change) {
    let schedules = state.withLock { state in
      state.queued.append(change)
      defer { state.isScheduled = true }
      return !state.isScheduled
    }
    if schedules { schedule() }
  }

  private func schedule() {
    queue.asyncWriteWithoutTransaction { db in self.commitQueued(db) }
  }

  /// Commits what is queued, then schedules the next round behind the queue's other work.
  private func commitQueued(_ db: Database) {
    let changes = state.withLock { state in
      defer { state.queued = [] }
      return state.queued
    }
    var applied: [(change: Change, answer: @Sendable () -> Void)] = []
    var next = 0
    do {
      try db.inTransaction {
        while next < changes.count {
          let change = changes[next]
          next += 1
          do {
            try db.inSavepoint {
              applied.append((change, try change.run(db)))
              return .commit
            }
          } catch {
            change.fail(error)
          }
        }
        return .commit
      }
      applied.forEach { $0.answer() }
    } catch {
      // The transaction failed as a whole: nothing of it was committed.
      applied.forEach { $0.change.fail(error) }
      changes[next...].forEach { $0.fail(error) }
    }
    let more = state.withLock { state in
      state.isScheduled = !state.queued.isEmpty
      return state.isScheduled
    }
    if more { schedule() }
  }
}

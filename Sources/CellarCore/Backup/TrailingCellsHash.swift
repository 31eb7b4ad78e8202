// CellarCore: the Cells content hash of a large download, computed behind it on a queue of its own.
import Dispatch
import HashKit
import Synchronization

/// Feeds a `CellsContentHash` on a serial queue of its own, at most `depth` chunks behind the
/// caller.
///
/// MD5 (1.4 s per GiB here) is the slowest of the three digests of a large file. Computed beside
/// each chunk and waited for, it held the next chunk's archive write and SHA-256 back, and a core
/// idle; trailing behind, it overlaps them. Memory: the chunks it holds, `depth` at most. Used by
/// one task at a time.
final class TrailingCellsHash: Sendable {
  /// Chunks queued or being hashed, at most.
  static let depth = 2

  private struct State {
    var queued = 0
    var waiting: CheckedContinuation<Void, Never>?
    var failure: (any Error)?
  }

  // Safe: only ever touched on `queue`, which is serial.
  private nonisolated(unsafe) let hash: CellsContentHash
  private let queue = DispatchQueue(label: "cellar-cells-hash")
  private let state = Mutex(State())

  /// Continues `hash`, which nothing else may touch from now on.
  init(continuing hash: CellsContentHash) {
    self.hash = hash
  }

  /// Queues `bytes`; waits while `depth` chunks are already queued.
  func update(_ bytes: [UInt8]) async {
    await withCheckedContinuation { continuation in
      let hasRoom = state.withLock { state in
        guard state.queued < Self.depth else {
          state.waiting = continuation
          return false
        }
        state.queued += 1
        return true
      }
      if hasRoom { continuation.resume() }
    }
    queue.async { [self] in
      var failure: (any Error)?
      do { try bytes.withUnsafeBytes { try hash.update($0) } } catch { failure = error }
      let waiting = state.withLock { state -> CheckedContinuation<Void, Never>? in
        if state.failure == nil { state.failure = failure }
        // The slot passes to the waiting caller, if any.
        guard let waiting = state.waiting else {
          state.queued -= 1
          return nil
        }
        state.waiting = nil
        return waiting
      }
      waiting?.resume()
    }
  }

  /// The hex hash, once every queued chunk is in; throws the first failure of an update.
  func finalize() async throws -> String {
    let result: Result<String, any Error> = await withCheckedContinuation { continuation in
      queue.async { [self] in
        if let failure = state.withLock({ $0.failure }) {
          continuation.resume(returning: .failure(failure))
        } else {
          continuation.resume(returning: Result { try hash.finalize().hex })
        }
      }
    }
    return try result.get()
  }
}

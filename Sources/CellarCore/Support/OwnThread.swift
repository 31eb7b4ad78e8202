// CellarCore: blocking work (file reads, parsing, a BlockingCall) awaited from async code
// without holding a thread of the cooperative pool.
import Foundation

/// Runs blocking work on a thread of its own.
enum OwnThread {
  /// The result of `work`, run on a new thread and awaited.
  static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
      Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
    }
  }
}

// CellarCore: at most N of something at once (downloads, uploads).

/// A counting semaphore for tasks: `withPermit` runs its body when one of `count` permits is free.
actor AsyncSemaphore {
  private var available: Int
  private var waiters: [CheckedContinuation<Void, Never>] = []

  /// A semaphore with `count` permits.
  init(count: Int) {
    available = max(1, count)
  }

  /// Runs `body` holding a permit.
  func withPermit<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
    await acquire()
    defer { release() }
    return try await body()
  }

  private func acquire() async {
    if available > 0 {
      available -= 1
      return
    }
    await withCheckedContinuation { waiters.append($0) }
  }

  private func release() {
    if waiters.isEmpty {
      available += 1
    } else {
      waiters.removeFirst().resume()
    }
  }
}

// CellarCore: `--max-duration`: a run that must fit a night window stops cleanly at its end.

/// Runs work under a time limit.
enum RunDeadline {
  /// Runs `body`; when `limit` passes first, cancels it (its outputs then remove their partial
  /// files), waits for it to wind down and throws `CellarError.timeLimit`.
  static func run<T: Sendable>(
    within limit: Duration?, _ body: @escaping @Sendable () async throws -> T
  ) async throws -> T {
    guard let limit else { return try await body() }
    return try await withThrowingTaskGroup(of: T?.self) { group in
      group.addTask { try await body() }
      group.addTask {
        try await Task.sleep(for: limit)
        return nil
      }
      defer { group.cancelAll() }
      if let value = try await group.next() ?? nil { return value }
      group.cancelAll()
      while true {
        do {
          guard try await group.next() != nil else { break }
        } catch {
          continue
        }
      }
      throw CellarError.timeLimit(limit)
    }
  }
}

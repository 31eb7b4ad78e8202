// How many times, and how patiently, a request that failed for a passing reason is tried again.

/// Exponential backoff with full jitter, bounded both in attempts and in total time.
///
/// `run` is the one retry loop of every client (REST and S3 alike): an attempt is the whole
/// exchange, request and response body, so a body cut mid-way is retried like a refused
/// connection. Which failures are worth another try is the client's classifier's call
/// (`RetryVerdict`): connection trouble, timeouts, 5xx and 429 answers usually are, other 4xx
/// answers never. Each retry is announced through `onRetry` before the wait, so a command line
/// can show it.
public struct RetryPolicy: Sendable {
  /// What the policy tells observers before it waits and tries again.
  public struct Event: Sendable {
    /// The operation, as the caller named it ("GetObject", "tree/stats"…).
    public var operation: String
    /// The attempt that just failed (1 for the first try).
    public var attempt: Int
    /// How long the policy waits before the next attempt.
    public var delay: Duration
    /// Why the attempt failed, for the user.
    public var reason: String
  }

  /// Tries in all, the first included; 1 means no retry.
  public var maxAttempts: Int
  /// The backoff cap of the first retry; it doubles for each further one, up to `maxDelay`.
  public var baseDelay: Duration
  /// The longest single wait.
  public var maxDelay: Duration
  /// No retry starts once this much time has passed since the first attempt.
  public var maxTotal: Duration
  /// Called before each wait.
  public var onRetry: @Sendable (Event) -> Void

  /// A policy; the defaults suit a nightly backup (5 tries within two minutes).
  public init(
    maxAttempts: Int = 5, baseDelay: Duration = .milliseconds(250), maxDelay: Duration = .seconds(10),
    maxTotal: Duration = .seconds(120), onRetry: @escaping @Sendable (Event) -> Void = { _ in }
  ) {
    self.maxAttempts = maxAttempts
    self.baseDelay = baseDelay
    self.maxDelay = maxDelay
    self.maxTotal = maxTotal
    self.onRetry = onRetry
  }

  /// A policy that never retries.
  public static let never = RetryPolicy(maxAttempts: 1)

  /// The wait before retry number `retry` (1-based): a random duration up to the capped
  /// exponential bound ("full jitter"), so that many clients failing together spread out.
  public func delay(beforeRetry retry: Int) -> Duration {
    let exponent = min(max(retry - 1, 0), 30)
    let bound = min(baseDelay * (1 << exponent), maxDelay)
    let nanoseconds = bound.components.seconds * 1_000_000_000 + bound.components.attoseconds / 1_000_000_000
    return .nanoseconds(Int64.random(in: 0...max(nanoseconds, 0)))
  }

  /// The longest `Retry-After` honoured; a server asking for more is retried sooner.
  public static let longestServerDelay: Duration = .seconds(60)

  /// Runs `attempt` until it returns, or until `classify` calls its error final or the policy
  /// runs out of tries or time; then the last error is thrown.
  ///
  /// `attempt` receives its number (1 for the first). It must do the whole exchange, reading the
  /// body included, and throw the client's own errors; `classify` judges each of them.
  /// Cancellation is never retried.
  public func run<T>(
    _ operation: String, attempt: (_ number: Int) async throws -> T,
    classify: (any Error) async throws -> RetryVerdict
  ) async throws -> T {
    let start = ContinuousClock.now
    var number = 0
    var failures = 0
    var renewed = false
    while true {
      number += 1
      do {
        return try await attempt(number)
      } catch {
        if error is CancellationError || Task.isCancelled { throw error }
        switch try await classify(error) {
        case .fail:
          throw error
        case .renewed:
          guard !renewed else { throw error }
          renewed = true
        case .retry(let reason, let after):
          failures += 1
          guard
            let delay = nextDelay(after: failures, since: start, operation: operation, reason: reason, atLeast: after)
          else { throw error }
          try await Task.sleep(for: delay)
        }
      }
    }
  }

  /// The delay before the try after failed attempt number `attempt`, or nil to give up.
  ///
  /// `start` is when the first attempt began; `atLeast` is the server's `Retry-After`, honoured
  /// up to `longestServerDelay`. Announces the retry through `onRetry` when there is one.
  public func nextDelay(
    after attempt: Int, since start: ContinuousClock.Instant, operation: String, reason: String,
    atLeast serverDelay: Duration? = nil
  ) -> Duration? {
    guard attempt < maxAttempts else { return nil }
    let delay = max(delay(beforeRetry: attempt), min(serverDelay ?? .zero, Self.longestServerDelay))
    guard ContinuousClock.now + delay - start < maxTotal else { return nil }
    onRetry(Event(operation: operation, attempt: attempt, delay: delay, reason: reason))
    return delay
  }
}

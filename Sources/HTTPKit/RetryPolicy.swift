// How many times, and how patiently, a request that failed for a passing reason is tried again.

/// Exponential backoff with full jitter, bounded both in attempts and in total time.
///
/// Only failures that another try can cure are retried: connection trouble, timeouts and 5xx
/// answers. Other 4xx answers never are. Each retry is announced through `onRetry` before the
/// wait, so a command line can show it.
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

  /// The delay before the try after failed attempt number `attempt`, or nil to give up.
  ///
  /// `start` is when the first attempt began. Announces the retry through `onRetry` when there
  /// is one.
  public func nextDelay(
    after attempt: Int, since start: ContinuousClock.Instant, operation: String, reason: String
  ) -> Duration? {
    guard attempt < maxAttempts else { return nil }
    let delay = delay(beforeRetry: attempt)
    guard ContinuousClock.now + delay - start < maxTotal else { return nil }
    onRetry(Event(operation: operation, attempt: attempt, delay: delay, reason: reason))
    return delay
  }
}

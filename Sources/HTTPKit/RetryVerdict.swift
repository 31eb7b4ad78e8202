// HTTPKit: what a client's classifier makes of a failed attempt, for RetryPolicy.run.

/// The verdict on one failed attempt of a request.
///
/// Each client keeps its own classifier (which statuses, codes and transport errors are passing
/// ones); the loop that acts on the verdicts is `RetryPolicy.run`, the same for every client.
public enum RetryVerdict: Sendable, Equatable {
  /// Final: the error goes to the caller.
  case fail
  /// A passing failure: try again after the policy's backoff, or after `after` when the server
  /// said how long to wait (`Retry-After`), whichever is longer.
  case retry(reason: String, after: Duration? = nil)
  /// The credentials were renewed: try again at once. Honoured once per request; a second
  /// refusal is final.
  case renewed
}

extension RetryVerdict {
  /// The verdict on a transfer that got no complete answer: network trouble and timeouts are
  /// passing, a wrong URL or a TLS failure is not.
  public static func transport(_ error: HTTPError) -> RetryVerdict {
    error.isTransient ? .retry(reason: "\(error)") : .fail
  }
}

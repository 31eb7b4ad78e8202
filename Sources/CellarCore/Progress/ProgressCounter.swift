// CellarCore: the counters that progress and summary events carry, by their JSON names.

/// A counter of `ProgressSnapshot` that `--json` writes, and the bar draws from.
public enum ProgressCounter: String, Sendable, CaseIterable {
  /// Folders done.
  case folders
  /// Files done.
  case files
  /// File bytes done.
  case bytes
  /// Files listed so far (the total once the listing is complete).
  case filesSeen
  /// File bytes listed so far.
  case bytesSeen
  /// Nodes skipped.
  case skipped
  /// Nodes failed.
  case errors
  /// Requests retried.
  case retries
  /// Seconds since the start (milliseconds precision).
  case elapsed

  /// A counter's value: a count, or seconds.
  public enum Value: Sendable, Equatable {
    /// A number of nodes, bytes or requests.
    case count(Int64)
    /// Seconds, to the millisecond.
    case seconds(Double)
  }

  /// This counter's value in `snapshot`.
  public func value(in snapshot: ProgressSnapshot) -> Value {
    switch self {
    case .folders: .count(Int64(snapshot.folders))
    case .files: .count(Int64(snapshot.files))
    case .bytes: .count(snapshot.bytes)
    case .filesSeen: .count(Int64(snapshot.filesSeen))
    case .bytesSeen: .count(snapshot.bytesSeen)
    case .skipped: .count(Int64(snapshot.skipped))
    case .errors: .count(Int64(snapshot.errors))
    case .retries: .count(Int64(snapshot.retries))
    case .elapsed: .seconds((snapshot.elapsed * 1000).rounded() / 1000)
    }
  }
}

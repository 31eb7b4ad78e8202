// CellarCore: what a running command tells the user, as events that renderers turn into a
// terminal bar, periodic lines or JSON lines. The vocabulary (event names, operations, node
// kinds and actions, counters) is typed, so that the man page's JSON OUTPUT section can list it
// whole (a test checks that they agree).

/// Something worth telling about a running backup or restore.
public enum ProgressEvent: Sendable, Equatable {
  /// The command started: its operation, whether it is a dry run, and what it works on.
  case start(operation: CellarOperation, dryRun: Bool = false, sources: [String], destination: String)
  /// Counters so far, sent about once a second.
  case progress(ProgressSnapshot)
  /// One node done: archived, restored, skipped, or (dry run) planned.
  case node(NodeEvent)
  /// Something the user should know that does not fail a node (a retry, a metadata gap).
  case warning(path: String?, message: String)
  /// A node that failed (the command goes on and exits 3), or, without a path, the error that
  /// ends the command (its last event: no summary follows).
  case error(path: String?, message: String)
  /// The end: the final counters and where the result is.
  case summary(ProgressSnapshot, output: String?)

  /// The `event` field of each kind of event in `--json`.
  public enum Name: String, Sendable, CaseIterable {
    /// `start`.
    case start
    /// `progress`.
    case progress
    /// `node`.
    case node
    /// `warning`.
    case warning
    /// `error`.
    case error
    /// `summary`.
    case summary
  }

  /// This event's name.
  public var name: Name {
    switch self {
    case .start: .start
    case .progress: .progress
    case .node: .node
    case .warning: .warning
    case .error: .error
    case .summary: .summary
    }
  }
}

/// The counters of a running command.
public struct ProgressSnapshot: Sendable, Equatable {
  /// Folders done.
  public var folders = 0
  /// Files done.
  public var files = 0
  /// File bytes done.
  public var bytes: Int64 = 0
  /// File bytes announced so far by the listing (grows while the walk goes on).
  public var bytesSeen: Int64 = 0
  /// Files announced so far.
  public var filesSeen = 0
  /// Nodes skipped.
  public var skipped = 0
  /// Incremental backups: files unchanged since the base (recorded, not downloaded).
  public var unchanged = 0
  /// Nodes failed.
  public var errors = 0
  /// `verify --remote`: differences between the server and the manifest (also in `errors`).
  public var serverChanges = 0
  /// Requests retried.
  public var retries = 0
  /// Whether the listing is complete (so that `bytesSeen` is the total and an ETA means something).
  public var listingDone = false
  /// The bytes the server says the sources hold (their folders' cumulated sizes), known
  /// before the walk has counted them: the total the bar and its ETA use meanwhile.
  public var bytesExpected: Int64?
  /// Seconds since the start.
  public var elapsed: Double = 0

  /// Zero counters.
  public init() {}
}

/// Receives the events of a running command; renderers (terminal, JSON lines) implement it.
public protocol ProgressReporter: Sendable {
  /// Handles one event; called from any task, must not block for long.
  func report(_ event: ProgressEvent)
}

/// A reporter that ignores everything (`--quiet`, and the library's default).
public struct SilentReporter: ProgressReporter {
  /// A silent reporter.
  public init() {}
  /// Does nothing.
  public func report(_ event: ProgressEvent) {}
}

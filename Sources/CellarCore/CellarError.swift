// CellarCore: failures of a whole command, in words the user can act on.

/// A command that cannot go on.
public enum CellarError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The command line asks for something impossible (exit 64).
  case usage(String)
  /// The command failed and produced nothing useful (exit 1).
  case failed(String)
  /// The run was interrupted (Ctrl-C, SIGTERM); partial outputs were removed (exit 1).
  case interrupted
  /// `--max-duration` ran out; partial outputs were removed (exit 1).
  case timeLimit(Duration)

  /// One line for the user.
  public var description: String {
    switch self {
    case .usage(let message): message
    case .failed(let message): message
    case .interrupted: "interrupted; partial outputs were removed and earlier archives left as they were"
    case .timeLimit(let limit):
      "stopped after --max-duration \(DurationText.format(limit)); partial outputs were removed and earlier "
        + "archives left as they were"
    }
  }
}

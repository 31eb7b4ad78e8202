// CellarCore: the one table from outcomes to exit codes (docs/architecture.md, "Exit codes").
import ArchiveKit
import CellsKit
import S3Kit

/// How a command ended, as the shell sees it.
public enum ExitStatus: Int32, Sendable {
  /// Everything was done.
  case success = 0
  /// Failed; nothing useful was produced.
  case failure = 1
  /// Finished, but some nodes were skipped or failed (each one reported).
  case partial = 3
  /// The server refused the credentials or the access.
  case denied = 4
  /// `verify --remote`: the archives are sound, but the server changed since the backup.
  case serverChanged = 5
  /// The command line is wrong.
  case usage = 64

  /// The status for a command that stopped with `error`.
  public init(error: any Error) {
    switch error {
    case CellarError.usage, is ConnectionSettings.Problem, is GlobPattern.Problem, is ConfigError: self = .usage
    case CellsAPIError.unauthorized, CellsAPIError.forbidden, CellsAPIError.tokenExpired, CellsAPIError.loginFailed:
      self = .denied
    case S3Error.accessDenied: self = .denied
    default: self = .failure
    }
  }
}

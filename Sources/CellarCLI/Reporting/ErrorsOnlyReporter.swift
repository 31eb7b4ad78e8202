// CellarCLI: `--quiet`: failed nodes still go to standard error, nothing else does.
import CellarCore
import Foundation

/// Prints only the `error` events, one line each, on standard error.
struct ErrorsOnlyReporter: ProgressReporter {
  func report(_ event: ProgressEvent) {
    guard case .error(let path, let message) = event else { return }
    StandardError.print("cellar: error: \(path.map { "\($0): " } ?? "")\(message)")
  }
}

// CellarCLI: what every command does around its work: report, turn Ctrl-C into a clean stop, and
// map the outcome to an exit code through the one table (`ExitStatus`).
import ArgumentParser
import CellarCore
import Foundation

/// Runs a command's body and exits with the status its outcome calls for.
enum CommandRunner {
  /// Runs `body` (which returns the number of failed nodes) under SIGINT/SIGTERM handling.
  ///
  /// A signal cancels the body, whose outputs then discard their partial files; a second signal
  /// ends the process at once.
  static func run(
    reporter: any ProgressReporter, _ body: @escaping @Sendable () async throws -> Int
  ) async throws {
    let work = Task { try await body() }
    let signals = [SIGINT, SIGTERM].map { signal in
      Foundation.signal(signal, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: signal)
      source.setEventHandler {
        if work.isCancelled { exit(128 + signal) }
        work.cancel()
      }
      source.resume()
      return source
    }
    defer { for source in signals { source.cancel() } }
    let status: ExitStatus
    do {
      let failures = try await work.value
      status = failures == 0 ? .success : .partial
    } catch {
      let cancelled = work.isCancelled || error is CancellationError
      let message = cancelled ? CellarError.interrupted.description : "\(error)"
      reporter.report(.error(path: "", message: message))
      if reporter is JSONLinesReporter { StandardError.print("cellar: error: \(message)") }
      status = cancelled ? .failure : ExitStatus(error: error)
    }
    if status != .success { throw ExitCode(status.rawValue) }
  }
}

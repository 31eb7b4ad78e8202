// CellarCLI: what every command does around its work: report, turn Ctrl-C into a clean stop, and
// map the outcome to an exit code through the one table (`ExitStatus`).
import ArgumentParser
import CellarCore
import Foundation

/// Runs a command's body and exits with the status its outcome calls for.
enum CommandRunner {
  /// Keeps glibc from holding freed buffers in one arena per thread: blocks of 1 MiB and more
  /// (download ranges, read-ahead bodies) are mapped and unmapped, so the resident size follows
  /// what is in use (a 1 GiB backup peaked at 100 MiB without this).
  ///
  /// `mallopt` is not in Swift's Glibc module, hence the lookup by name.
  private static func boundMallocArenas() {
    #if os(Linux)
      typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
      guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
      let mallopt = unsafeBitCast(symbol, to: MallOpt.self)
      _ = mallopt(-3, 1 << 20)  // M_MMAP_THRESHOLD
      _ = mallopt(-8, 2)  // M_ARENA_MAX
    #endif
  }

  /// Runs `body` (which returns the number of failed nodes) under SIGINT/SIGTERM handling.
  ///
  /// A signal cancels the body, whose outputs then discard their partial files; a second signal
  /// ends the process at once.
  static func run(
    reporter: any ProgressReporter, _ body: @escaping @Sendable () async throws -> Int
  ) async throws {
    boundMallocArenas()
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

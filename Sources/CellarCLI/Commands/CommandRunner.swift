// CellarCLI: what every command does around its work: report, turn Ctrl-C into a clean stop, and
// map the outcome to an exit code through the one table (`ExitStatus`).
import ArgumentParser
import CellarCore
import Foundation
import Synchronization

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
  static func run(
    reporter: any ProgressReporter, interrupted: @escaping @Sendable () -> String = { Self.interruptedBackup },
    monitor: Monitoring? = nil, _ body: @escaping @Sendable () async throws -> Int
  ) async throws {
    try await run(reporter: reporter, interrupted: interrupted, monitor: monitor) { () async throws -> ExitStatus in
      try await body() == 0 ? .success : .partial
    }
  }

  /// Runs `body`, which says how it ended, under SIGINT/SIGTERM handling.
  ///
  /// A signal is answered at once with `interrupted()` and cancels the body, whose outputs then
  /// discard their partial files; the process exits 128 + the signal (130, 143) when the body
  /// has stopped, or after `cleanupGrace` whatever it is doing (a backup's partial archive is an
  /// unnamed file, gone with the process). A second signal ends the process at once.
  ///
  /// With `monitor`, the run is reported when it starts and when it ends (by `RunMonitor`,
  /// with the gauges the command measured), whatever the outcome.
  static func run(
    reporter: any ProgressReporter, interrupted: @escaping @Sendable () -> String = { Self.interruptedBackup },
    monitor: Monitoring? = nil, grace: DispatchTimeInterval = cleanupGrace,
    _ body: @escaping @Sendable () async throws -> ExitStatus
  ) async throws {
    boundMallocArenas()
    await monitor?.monitor.started()
    let work = Task { try await body() }
    let received = Mutex<Int32>(0)
    let signals = [SIGINT, SIGTERM].map { signal in
      Foundation.signal(signal, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: signal)
      source.setEventHandler {
        let first = received.withLock { seen in
          defer { if seen == 0 { seen = signal } }
          return seen == 0
        }
        guard first else { exit(128 + signal) }
        say(interrupted(), to: reporter)
        work.cancel()
        DispatchQueue.global().asyncAfter(deadline: .now() + grace) {
          // What cannot vanish with the process (an S3 upload) is abandoned first.
          StopHooks.runAll()
          exit(128 + signal)
        }
      }
      source.resume()
      return source
    }
    defer { for source in signals { source.cancel() } }
    let status: ExitStatus
    var failure: String?
    do {
      status = try await work.value
    } catch {
      let signal = received.withLock { $0 }
      if signal != 0 {
        await monitor?.finished(exitCode: 128 + signal, message: "stopped by signal \(signal)")
        throw ExitCode(128 + signal)
      }
      let cancelled = work.isCancelled || error is CancellationError
      let message = cancelled ? CellarError.interrupted.description : "\(error)"
      say(message, to: reporter)
      status = cancelled ? .failure : ExitStatus(error: error)
      failure = message
    }
    let signal = received.withLock { $0 }
    await monitor?.finished(exitCode: signal != 0 ? 128 + signal : status.rawValue, message: failure)
    if signal != 0 { throw ExitCode(128 + signal) }
    if status != .success { throw ExitCode(status.rawValue) }
  }

  /// A run's monitor and what the command measured, read when it ends.
  struct Monitoring: Sendable {
    let monitor: RunMonitor
    let gauges: @Sendable () -> [RunMetrics.Gauge]

    /// Reports the end: `message` is the error, else a line of the gauges.
    func finished(exitCode: Int32, message: String?) async {
      let gauges = gauges()
      let summary = gauges.map { "\($0.name) \(Int64($0.value))" }.joined(separator: ", ")
      await monitor.finished(exitCode: exitCode, message: message ?? summary, gauges: gauges)
    }
  }

  /// Reports the error that ends the command; with --json also on standard error, for a person.
  private static func say(_ message: String, to reporter: any ProgressReporter) {
    reporter.report(.error(path: nil, message: message))
    if reporter is JSONLinesReporter { StandardError.print("cellar: error: \(message)") }
  }

  /// How long a signalled command may take to stop cleanly before the process ends (unless it
  /// asks for longer: a drill deletes its scratch folder on the server).
  static let cleanupGrace: DispatchTimeInterval = .milliseconds(900)

  /// What a stopped backup (or any command that writes locally) says.
  static let interruptedBackup = CellarError.interrupted.description
}

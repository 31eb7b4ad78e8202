// CellarTestSupport: runs child processes (real S3 clients, the built `cellar`) with a timeout,
// from async tests that serve those children from an in-process sandbox.
import Foundation

/// What a finished child left behind.
public struct ChildResult: Sendable {
  /// The exit status (128 + n for a child killed by signal n is not distinguished: see `signaled`).
  public var status: Int32
  /// Whether the child was ended by a signal (then `status` is the signal number).
  public var signaled: Bool
  /// Standard output as bytes.
  public var stdoutData: Data
  /// Standard error, as text.
  public var stderr: String
  /// Standard output as UTF-8 text.
  public var stdout: String { String(decoding: stdoutData, as: UTF8.self) }
}

/// Runs child processes without ever blocking a thread of the Swift cooperative pool: the in-
/// process sandbox serves the child's requests from that pool, so a blocking `waitUntilExit()`
/// there could starve it on a 2-core machine.
///
/// Output goes to files (a chatty child never blocks on a full pipe), the exit is awaited through
/// `terminationHandler`, and a child that outlives `timeout` is killed, so none survives the test
/// run.
public enum ChildProcess {
  /// Runs `tool` (a path, or a name looked up on PATH) with `arguments` and awaits its exit.
  ///
  /// `environment` is added to this process's; `stdin` names a file for standard input;
  /// `started` receives the child's pid as soon as it runs (to signal it from a test).
  public static func run(
    _ tool: String, _ arguments: [String], environment extra: [String: String] = [:], stdin: URL? = nil,
    timeout: Duration = .seconds(120), started: @escaping @Sendable (Int32) -> Void = { _ in }
  ) async throws -> ChildResult {
    let scratch = FileManager.default.temporaryDirectory
      .appendingPathComponent("sandbox-child-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let outURL = scratch.appendingPathComponent("stdout")
    let errURL = scratch.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let outHandle = try FileHandle(forWritingTo: outURL)
    let errHandle = try FileHandle(forWritingTo: errURL)
    defer {
      try? outHandle.close()
      try? errHandle.close()
    }

    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [tool] + arguments
    var environment = ProcessInfo.processInfo.environment
    environment["LC_ALL"] = "C.UTF-8"
    environment["PYTHONIOENCODING"] = "utf-8"
    environment.merge(extra) { _, new in new }
    process.environment = environment
    process.standardOutput = outHandle
    process.standardError = errHandle
    process.standardInput = try stdin.map { try FileHandle(forReadingFrom: $0) } ?? FileHandle.nullDevice

    let child = process
    let (status, signaled): (Int32, Bool) = try await withCheckedThrowingContinuation { continuation in
      process.terminationHandler = { finished in
        continuation.resume(returning: (finished.terminationStatus, finished.terminationReason == .uncaughtSignal))
      }
      do {
        try process.run()
      } catch {
        process.terminationHandler = nil
        continuation.resume(throwing: error)
        return
      }
      started(process.processIdentifier)
      let watchdog = Task.detached {
        try await Task.sleep(for: timeout)
        // Past the limit: kill this child (and nothing broader).
        if child.isRunning { kill(child.processIdentifier, SIGKILL) }
      }
      _ = watchdog
    }
    return ChildResult(
      status: status, signaled: signaled, stdoutData: (try? Data(contentsOf: outURL)) ?? Data(),
      stderr: String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self))
  }
}

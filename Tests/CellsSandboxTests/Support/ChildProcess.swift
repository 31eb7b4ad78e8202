// CellsSandboxTests: runs real S3 clients (aws CLI, boto3) as child processes, with a timeout.
import Foundation

/// What a finished child left behind.
struct ChildResult {
  var status: Int32
  var stdout: String
  var stderr: String
}

/// Runs child processes without ever blocking a thread of the Swift cooperative pool: the in-
/// process sandbox serves the child's requests from that pool, so a blocking `waitUntilExit()`
/// there could starve it on a 2-core machine.
///
/// Output goes to files (a chatty child never blocks on a full pipe), the exit is awaited through
/// `terminationHandler`, and a child that outlives `timeout` is killed, so none survives the test
/// run.
enum ChildProcess {
  static func run(
    _ tool: String, _ arguments: [String], environment extra: [String: String] = [:],
    timeout: Duration = .seconds(120)
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
    process.standardInput = FileHandle.nullDevice

    let child = process
    let status: Int32 = try await withCheckedThrowingContinuation { continuation in
      process.terminationHandler = { finished in
        continuation.resume(returning: finished.terminationStatus)
      }
      do {
        try process.run()
      } catch {
        process.terminationHandler = nil
        continuation.resume(throwing: error)
        return
      }
      let watchdog = Task.detached {
        try await Task.sleep(for: timeout)
        // Past the limit: kill this child (and nothing broader).
        if child.isRunning { kill(child.processIdentifier, SIGKILL) }
      }
      _ = watchdog
    }
    return ChildResult(
      status: status,
      stdout: String(decoding: (try? Data(contentsOf: outURL)) ?? Data(), as: UTF8.self),
      stderr: String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self))
  }
}

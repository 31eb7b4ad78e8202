// ArchiveKitTests: runs the independent tools (python3, bsdtar, GNU tar, unzip, zstd).
import Foundation

/// What a finished child process left behind.
struct ProcessResult {
  var status: Int32
  var stdout: Data
  var stderr: String

  var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
}

enum Subprocess {
  /// Runs `tool` (looked up on PATH) with `arguments` in a UTF-8 locale and waits for it.
  ///
  /// Output goes through files rather than pipes, so a chatty child can never block on a full
  /// pipe while we wait for it. `stdin` names a file to read standard input from.
  static func run(_ tool: String, _ arguments: [String], stdin: URL? = nil) throws -> ProcessResult {
    let scratch = FileManager.default.temporaryDirectory
      .appendingPathComponent("archivekit-proc-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let outURL = scratch.appendingPathComponent("stdout")
    let errURL = scratch.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)

    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [tool] + arguments
    var environment = ProcessInfo.processInfo.environment
    environment["LC_ALL"] = "C.UTF-8"
    environment["PYTHONIOENCODING"] = "utf-8"
    process.environment = environment
    let outHandle = try FileHandle(forWritingTo: outURL)
    let errHandle = try FileHandle(forWritingTo: errURL)
    defer {
      try? outHandle.close()
      try? errHandle.close()
    }
    process.standardOutput = outHandle
    process.standardError = errHandle
    if let stdin {
      process.standardInput = try FileHandle(forReadingFrom: stdin)
    } else {
      process.standardInput = FileHandle.nullDevice
    }
    try process.run()
    process.waitUntilExit()
    return ProcessResult(
      status: process.terminationStatus,
      stdout: try Data(contentsOf: outURL),
      stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
  }

  /// Runs a command and returns its stdout, failing with its stderr when it exits non-zero.
  static func output(_ tool: String, _ arguments: [String], stdin: URL? = nil) throws -> Data {
    let result = try run(tool, arguments, stdin: stdin)
    guard result.status == 0 else {
      throw SubprocessFailure(
        command: ([tool] + arguments).joined(separator: " "), status: result.status, stderr: result.stderr)
    }
    return result.stdout
  }
}

/// A helper command that exited non-zero.
struct SubprocessFailure: Error, CustomStringConvertible {
  var command: String
  var status: Int32
  var stderr: String

  var description: String { "\(command) exited \(status): \(stderr)" }
}

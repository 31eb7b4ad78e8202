// CellarTestSupport: runs the independent tools the tests check our work with (python3, bsdtar,
// GNU tar, unzip, zstd, botocore, the aws CLI).
import Foundation

/// What a finished child process left behind.
public struct ProcessResult: Sendable {
  /// The exit status.
  public var status: Int32
  /// Everything written to standard output.
  public var stdout: Data
  /// Everything written to standard error, as text.
  public var stderr: String

  /// Standard output as UTF-8 text.
  public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
}

/// Runs child processes to completion.
public enum Subprocess {
  /// Runs `tool` (looked up on PATH) with `arguments` in a UTF-8 locale and waits for it.
  ///
  /// Output goes through files rather than pipes, so a chatty child can never block on a full
  /// pipe while we wait for it. `stdin` names a file to read standard input from; `input` is
  /// written to such a file first.
  public static func run(
    _ tool: String, _ arguments: [String], stdin: URL? = nil, input: Data? = nil
  ) throws -> ProcessResult {
    let scratch = FileManager.default.temporaryDirectory
      .appendingPathComponent("archivekit-proc-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    var stdin = stdin
    if let input {
      let inURL = scratch.appendingPathComponent("stdin")
      try input.write(to: inURL)
      stdin = inURL
    }
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
  public static func output(
    _ tool: String, _ arguments: [String], stdin: URL? = nil, input: Data? = nil
  ) throws -> Data {
    let result = try run(tool, arguments, stdin: stdin, input: input)
    guard result.status == 0 else {
      throw SubprocessFailure(
        command: ([tool] + arguments).joined(separator: " "), status: result.status, stderr: result.stderr)
    }
    return result.stdout
  }
}

/// A helper command that exited non-zero.
public struct SubprocessFailure: Error, CustomStringConvertible {
  /// The command line.
  public var command: String
  /// Its exit status.
  public var status: Int32
  /// What it wrote to standard error.
  public var stderr: String

  /// A failure of `command`, which exited with `status` after writing `stderr`.
  public init(command: String, status: Int32, stderr: String) {
    self.command = command
    self.status = status
    self.stderr = stderr
  }

  /// One line for the test log.
  public var description: String { "\(command) exited \(status): \(stderr)" }
}

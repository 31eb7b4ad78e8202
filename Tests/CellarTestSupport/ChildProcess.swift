// CellarTestSupport: the one way tests run child processes (real S3 clients, the built `cellar`,
// python3, bsdtar, GNU tar, unzip, zstd…): output to files, the exit awaited through
// `terminationHandler`, and a kill after a timeout, so that none survives the test run.
import Foundation
import Synchronization

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

/// Runs child processes to completion.
///
/// `run` never blocks a thread of the Swift cooperative pool: the in-process sandbox serves a
/// child's requests from that pool, so a blocking wait there could starve it on a 2-core machine.
/// `runBlocking` is for synchronous tests whose child needs nothing from this process (a
/// reference tool reading a file). Neither uses `Process.waitUntilExit()`, which spins a run loop
/// and has hung on pool threads. Output goes to files, so a chatty child never blocks on a full
/// pipe; the environment gets a UTF-8 locale.
public enum ChildProcess {
  /// Runs `tool` (a path, or a name looked up on PATH) with `arguments` and awaits its exit.
  ///
  /// `environment` is added to this process's; `stdin` names a file for standard input;
  /// `started` receives the child's pid as soon as it runs (to signal it from a test).
  public static func run(
    _ tool: String, _ arguments: [String], environment: [String: String] = [:], stdin: URL? = nil,
    timeout: Duration = .seconds(120), started: @escaping @Sendable (Int32) -> Void = { _ in }
  ) async throws -> ChildResult {
    let launch = try Launch(tool, arguments, environment: environment, stdin: stdin, input: nil)
    defer { launch.remove() }
    let (status, signaled) = try await withCheckedThrowingContinuation { continuation in
      launch.start(timeout: timeout, started: started) { continuation.resume(with: $0) }
    }
    return launch.result(status: status, signaled: signaled)
  }

  /// Runs `tool` and waits for it on this thread; `input` is given as standard input.
  public static func runBlocking(
    _ tool: String, _ arguments: [String], stdin: URL? = nil, input: Data? = nil,
    timeout: Duration = .seconds(120)
  ) throws -> ChildResult {
    let launch = try Launch(tool, arguments, environment: [:], stdin: stdin, input: input)
    defer { launch.remove() }
    let ended = DispatchSemaphore(value: 0)
    let outcome = Mutex<Result<(Int32, Bool), any Error>?>(nil)
    launch.start(timeout: timeout, started: { _ in }) { result in
      outcome.withLock { $0 = result }
      ended.signal()
    }
    ended.wait()
    let (status, signaled) = try outcome.withLock { $0! }.get()
    return launch.result(status: status, signaled: signaled)
  }

  /// Starts `tool` with pipes to write its standard input or read its standard output while it
  /// runs (`pipingInput`, `pipingOutput`), for tests that stream bytes through a reference tool.
  public static func start(
    _ tool: String, _ arguments: [String], pipingInput: Bool = false, pipingOutput: Bool = false,
    timeout: Duration = .seconds(120)
  ) throws -> RunningChild {
    let launch = try Launch(tool, arguments, environment: [:], stdin: nil, input: nil)
    let child = RunningChild(launch: launch, pipingInput: pipingInput, pipingOutput: pipingOutput)
    launch.start(timeout: timeout, started: { _ in }) { child.ended($0) }
    return child
  }

  /// Runs `tool` with `runBlocking` and returns its standard output; a non-zero exit throws.
  public static func output(
    _ tool: String, _ arguments: [String], stdin: URL? = nil, input: Data? = nil
  ) throws -> Data {
    let result = try runBlocking(tool, arguments, stdin: stdin, input: input)
    guard result.status == 0, !result.signaled else {
      throw ChildFailure(
        command: ([tool] + arguments).joined(separator: " "), status: result.status, stderr: result.stderr)
    }
    return result.stdoutData
  }
}

/// A child started by `ChildProcess.start`, its pipes open.
public final class RunningChild: @unchecked Sendable {
  /// Where to write the child's standard input (`pipingInput`); close it to end the input.
  public let input: FileHandle?
  /// Where to read the child's standard output (`pipingOutput`).
  public let output: FileHandle?
  private let launch: Launch
  private let done = DispatchSemaphore(value: 0)
  private let outcome = Mutex<Result<(Int32, Bool), any Error>?>(nil)

  fileprivate init(launch: Launch, pipingInput: Bool, pipingOutput: Bool) {
    self.launch = launch
    let inputPipe = pipingInput ? Pipe() : nil
    let outputPipe = pipingOutput ? Pipe() : nil
    if let inputPipe { launch.process.standardInput = inputPipe }
    if let outputPipe { launch.process.standardOutput = outputPipe }
    input = inputPipe?.fileHandleForWriting
    output = outputPipe?.fileHandleForReading
  }

  fileprivate func ended(_ result: Result<(Int32, Bool), any Error>) {
    outcome.withLock { $0 = result }
    done.signal()
  }

  /// Closes the pipes (a child still writing then gets SIGPIPE), waits for the child to exit,
  /// and gives what it left.
  public func wait() throws -> ChildResult {
    try? input?.close()
    try? output?.close()
    done.wait()
    defer { launch.remove() }
    let (status, signaled) = try outcome.withLock { $0! }.get()
    return launch.result(status: status, signaled: signaled)
  }
}

/// A child process prepared with its scratch folder for output and input files.
private final class Launch: @unchecked Sendable {
  let process: Process
  private let scratch: URL
  private let outURL: URL
  private let errURL: URL

  init(_ tool: String, _ arguments: [String], environment extra: [String: String], stdin: URL?, input: Data?) throws {
    scratch = FileManager.default.temporaryDirectory.appendingPathComponent("cellar-child-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    outURL = scratch.appendingPathComponent("stdout")
    errURL = scratch.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    var stdin = stdin
    if let input {
      let inURL = scratch.appendingPathComponent("stdin")
      try input.write(to: inURL)
      stdin = inURL
    }
    process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [tool] + arguments
    var environment = ProcessInfo.processInfo.environment
    environment["LC_ALL"] = "C.UTF-8"
    environment["PYTHONIOENCODING"] = "utf-8"
    environment.merge(extra) { _, new in new }
    process.environment = environment
    process.standardOutput = try FileHandle(forWritingTo: outURL)
    process.standardError = try FileHandle(forWritingTo: errURL)
    process.standardInput = try stdin.map { try FileHandle(forReadingFrom: $0) } ?? FileHandle.nullDevice
  }

  /// Starts the child; `ended` gets its status and whether a signal ended it, exactly once.
  func start(
    timeout: Duration, started: @Sendable (Int32) -> Void,
    ended: @escaping @Sendable (Result<(Int32, Bool), any Error>) -> Void
  ) {
    process.terminationHandler = { finished in
      ended(.success((finished.terminationStatus, finished.terminationReason == .uncaughtSignal)))
    }
    do {
      try process.run()
    } catch {
      process.terminationHandler = nil
      ended(.failure(error))
      return
    }
    let pid = process.processIdentifier
    started(pid)
    // Past the limit: kill this child (and nothing broader). A dispatch timer, not a task: the
    // cooperative pool may be the very thing a stuck child is waiting for.
    let child = process
    DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(Int(timeout.components.seconds))) {
      if child.isRunning { kill(pid, SIGKILL) }
    }
  }

  func result(status: Int32, signaled: Bool) -> ChildResult {
    for handle in [process.standardOutput, process.standardError] {
      try? (handle as? FileHandle)?.close()
    }
    return ChildResult(
      status: status, signaled: signaled, stdoutData: (try? Data(contentsOf: outURL)) ?? Data(),
      stderr: String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self))
  }

  func remove() { try? FileManager.default.removeItem(at: scratch) }
}

/// A child that exited non-zero.
public struct ChildFailure: Error, CustomStringConvertible {
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

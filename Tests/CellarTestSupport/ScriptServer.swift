// CellarTestSupport: a server written as a script, run as a child process for the length of a test.
import Foundation

/// A server script in a child process that prints "PORT <n>" once it listens on 127.0.0.1.
///
/// The script must exit when its standard input closes: this process holds the other end, so the
/// server never outlives the test run, even one that crashes. `deinit` also terminates it.
public final class ScriptServer: Sendable {
  /// The port the server listens on.
  public let port: Int
  private let process: Process
  private let stdin: Pipe

  /// Starts `interpreter script arguments…` and waits for its "PORT" line.
  public init(script: String, arguments: [String] = [], interpreter: String = "python3") throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [interpreter, script] + arguments
    let output = Pipe()
    let stdin = Pipe()
    process.standardOutput = output
    process.standardInput = stdin
    try process.run()
    var line = Data()
    while !line.contains(UInt8(ascii: "\n")) {
      let more = output.fileHandleForReading.availableData
      guard !more.isEmpty else { throw StartFailure(script: script) }
      line += more
    }
    let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) else { throw StartFailure(script: script) }
    self.port = port
    self.process = process
    self.stdin = stdin
  }

  deinit {
    // Not waitUntilExit: it spins a run loop, which has hung on cooperative-pool threads.
    try? stdin.fileHandleForWriting.close()
    process.terminate()
  }

  /// The server script exited or printed something else before its port.
  public struct StartFailure: Error, CustomStringConvertible {
    /// The script.
    public var script: String
    /// One line for the test log.
    public var description: String { "\(script) did not print its port" }
  }
}

// Test support: runs python3 as an independent reference implementation.
import Foundation

/// Runs `python3 -c script` with `arguments`, feeds `input` on stdin, and returns stdout.
/// stderr goes to the test log; a non-zero exit is an error carrying the status.
func runPython(_ script: String, arguments: [String] = [], input: Data = Data()) throws -> String {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = ["python3", "-c", script] + arguments
  let stdin = Pipe()
  let stdout = Pipe()
  process.standardInput = stdin
  process.standardOutput = stdout
  try process.run()
  // Inputs are small (well under a pipe buffer), so writing before reading cannot deadlock.
  try stdin.fileHandleForWriting.write(contentsOf: input)
  try stdin.fileHandleForWriting.close()
  let output = stdout.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  guard process.terminationStatus == 0 else {
    throw PythonFailed(status: process.terminationStatus)
  }
  return String(decoding: output, as: UTF8.self)
}

/// python3 exited with a non-zero status.
struct PythonFailed: Error, CustomStringConvertible {
  let status: Int32
  var description: String { "python3 exited with status \(status)" }
}

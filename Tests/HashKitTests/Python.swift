// Test support: runs python3 as an independent reference implementation.
import CellarTestSupport
import Foundation

/// Runs `python3 -c script` with `arguments`, feeds `input` on stdin, and returns stdout; a
/// non-zero exit is an error carrying the status and stderr.
func runPython(_ script: String, arguments: [String] = [], input: Data = Data()) throws -> String {
  String(decoding: try ChildProcess.output("python3", ["-c", script] + arguments, input: input), as: UTF8.self)
}

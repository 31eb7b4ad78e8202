// Walks a Cells subtree with CellsKit's TreeWalker and reports nodes, time and peak memory.
// Usage: TreeWalkBenchmark URL TOKEN PATH [PARALLELISM]
// Not a test: it measures. Run it against `cells-sandbox --seed FILE` with a large tree.
import CellsKit
import Foundation

let arguments = CommandLine.arguments
guard arguments.count >= 4 else {
  FileHandle.standardError.write(Data("usage: TreeWalkBenchmark URL TOKEN PATH [PARALLELISM]\n".utf8))
  exit(64)
}
let settings = try ConnectionSettings(url: arguments[1], token: arguments[2], environment: [:])
let connection = try await CellsConnection(settings: settings)
let walker = TreeWalker(
  client: connection.rest, s3: connection.s3, parallelism: arguments.count > 4 ? Int(arguments[4]) ?? 4 : 4)
/// Walks `path` and returns how many nodes it visited and how long it took.
func countNodes(_ walker: TreeWalker, _ path: String) async throws -> (Int, Duration) {
  var nodes = 0
  let elapsed = try await ContinuousClock().measure {
    try await walker.walk(path) { _ in nodes += 1 }
  }
  return (nodes, elapsed)
}
let (nodes, elapsed) = try await countNodes(walker, arguments[3])

/// The process's peak resident set, from /proc/self/status (VmHWM), in MiB.
func peakResidentMiB() -> Double {
  let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
  let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
  let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
  return kilobytes / 1024
}

print("nodes: \(nodes)")
let milliseconds = elapsed.components.attoseconds / 1_000_000_000_000_000
print("seconds: \(elapsed.components.seconds).\(String(format: "%03d", milliseconds))")
print(String(format: "peak RSS: %.1f MiB", peakResidentMiB()))

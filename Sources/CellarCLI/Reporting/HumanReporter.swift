// CellarCLI: progress for people, on standard error: a live bar on a terminal, a line a minute
// otherwise (cron mails, journald), errors always, nodes with --verbose.
import CellarCore
import Foundation
import Synchronization

/// Renders events as text on standard error.
final class HumanReporter: ProgressReporter {
  private struct State {
    var operation = ""
    var lastLine = ContinuousClock.now
    var barShown = false
  }

  private let isTerminal: Bool
  private let verbose: Bool
  private let planOnStandardOutput: Bool
  private let state = Mutex(State())

  /// A reporter on standard error; `planOnStandardOutput` (a dry run) prints every node on
  /// standard output instead, so that the plan can be piped or saved apart from the progress.
  init(isTerminal: Bool, verbose: Bool, planOnStandardOutput: Bool = false) {
    self.isTerminal = isTerminal
    self.verbose = verbose || planOnStandardOutput
    self.planOnStandardOutput = planOnStandardOutput
  }

  func report(_ event: ProgressEvent) {
    state.withLock { state in
      switch event {
      case .start(let operation, let dryRun, let sources, let destination):
        state.operation = operation.rawValue + (dryRun ? " (dry run)" : "")
        say("\(operation): \(sources.joined(separator: ", ")) → \(destination)", &state)
      case .progress(let snapshot):
        if isTerminal {
          StandardError.write("\r\u{1B}[K" + Self.fit(Self.bar(snapshot), width: Self.terminalWidth()))
          state.barShown = true
        } else if ContinuousClock.now - state.lastLine >= .seconds(60) {
          state.lastLine = .now
          StandardError.print(Self.bar(snapshot))
        }
      case .node(let node):
        guard verbose else { break }
        let line = Self.line(node)
        if planOnStandardOutput {
          clearBar(&state)
          FileHandle.standardOutput.write(Data((line + "\n").utf8))
        } else {
          say(line, &state)
        }
      case .warning(let path, let message):
        if verbose || path != nil { say("warning: \(path.map { "\($0): " } ?? "")\(message)", &state) }
      case .error(let path, let message):
        say("error: \(path.map { "\($0): " } ?? "")\(message)", &state)
      case .summary(let snapshot, let output):
        say(Self.summary(snapshot, operation: state.operation, output: output), &state)
      }
    }
  }

  /// Prints a line, first clearing the bar so that the two do not mix.
  private func say(_ line: String, _ state: inout State) {
    clearBar(&state)
    StandardError.print(line)
  }

  private func clearBar(_ state: inout State) {
    guard state.barShown else { return }
    StandardError.write("\r\u{1B}[K")
    state.barShown = false
  }

  /// The columns of the terminal on standard error (80 when it does not say).
  private static func terminalWidth() -> Int {
    var size = winsize()
    guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
    return Int(size.ws_col)
  }

  /// `bar` within `width` columns, so that it never wraps (a wrapped bar is redrawn on a new
  /// line each second): its last parts dropped first, then the rest cut.
  static func fit(_ bar: String, width: Int) -> String {
    let room = max(width - 1, 1)
    var parts = bar.components(separatedBy: "  ")
    while parts.count > 1, parts.joined(separator: "  ").count > room { parts.removeLast() }
    return String(parts.joined(separator: "  ").prefix(room))
  }

  static func bar(_ snapshot: ProgressSnapshot) -> String {
    let rate = snapshot.elapsed > 0 ? Double(snapshot.bytes) / snapshot.elapsed : 0
    // The walk's count once it is complete; before, the size the server gave the sources.
    let total =
      snapshot.listingDone ? snapshot.bytesSeen : snapshot.bytesExpected.flatMap { $0 >= snapshot.bytes ? $0 : nil }
    var parts = [
      "\(snapshot.files)\(snapshot.listingDone ? "/\(snapshot.filesSeen)" : "") files",
      "\(bytes(snapshot.bytes))\(total.map { "/\(bytes($0))" } ?? "")",
      "\(bytes(Int64(rate)))/s",
    ]
    if let total, rate > 0 {
      parts.append("ETA \(duration(Double(max(0, total - snapshot.bytes)) / rate))")
    }
    if snapshot.retries > 0 { parts.append("\(snapshot.retries) retries") }
    if snapshot.errors > 0 { parts.append("\(snapshot.errors) errors") }
    return parts.joined(separator: "  ")
  }

  /// A node as `--verbose` and a dry run's plan print it: `ACTION[ + metadata NS, …] PATH [(SIZE)]`
  /// then `, moved from OLD` for a node that moved since the base.
  static func line(_ node: NodeEvent) -> String {
    var line = node.action.rawValue
    if !node.metadata.isEmpty { line += " + metadata " + node.metadata.joined(separator: ", ") }
    line += " \(node.path)"
    if let size = node.size { line += " (\(bytes(size)))" }
    if let movedFrom = node.movedFrom { line += ", moved from \(movedFrom)" }
    return line
  }

  static func summary(_ snapshot: ProgressSnapshot, operation: String, output: String?) -> String {
    var line =
      "\(operation) \(snapshot.errors == 0 ? "done" : "finished with \(snapshot.errors) errors"): "
      + "\(snapshot.folders) folders, \(snapshot.files) files, \(bytes(snapshot.bytes))"
    if snapshot.skipped > 0 { line += ", \(snapshot.skipped) skipped" }
    line += " in \(duration(snapshot.elapsed))"
    if let output { line += " → \(output)" }
    return line
  }

  static func bytes(_ count: Int64) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB"]
    var value = Double(count)
    var unit = 0
    while value >= 1024, unit < units.count - 1 {
      value /= 1024
      unit += 1
    }
    return unit == 0 ? "\(count) B" : String(format: "%.1f %@", value, units[unit])
  }

  static func duration(_ seconds: Double) -> String {
    let total = Int(seconds.rounded())
    return total >= 3600
      ? String(format: "%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60)
      : String(format: "%d:%02d", total / 60, total % 60)
  }
}

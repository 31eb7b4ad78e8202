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
  private let state = Mutex(State())

  init(isTerminal: Bool, verbose: Bool) {
    self.isTerminal = isTerminal
    self.verbose = verbose
  }

  func report(_ event: ProgressEvent) {
    state.withLock { state in
      switch event {
      case .start(let operation, let sources, let destination):
        state.operation = operation
        say("\(operation): \(sources.joined(separator: ", ")) → \(destination)", &state)
      case .progress(let snapshot):
        if isTerminal {
          StandardError.write("\r\u{1B}[K" + Self.bar(snapshot))
          state.barShown = true
        } else if ContinuousClock.now - state.lastLine >= .seconds(60) {
          state.lastLine = .now
          StandardError.print(Self.bar(snapshot))
        }
      case .node(let path, _, let size, let action):
        if verbose { say("\(action) \(path)\(size.map { " (\(Self.bytes($0)))" } ?? "")", &state) }
      case .warning(let path, let message):
        if verbose || path != nil { say("warning: \(path.map { "\($0): " } ?? "")\(message)", &state) }
      case .error(let path, let message):
        say("error: \(path.isEmpty ? "" : "\(path): ")\(message)", &state)
      case .summary(let snapshot, let output):
        say(Self.summary(snapshot, operation: state.operation, output: output), &state)
      }
    }
  }

  /// Prints a line, first clearing the bar so that the two do not mix.
  private func say(_ line: String, _ state: inout State) {
    if state.barShown {
      StandardError.write("\r\u{1B}[K")
      state.barShown = false
    }
    StandardError.print(line)
  }

  static func bar(_ snapshot: ProgressSnapshot) -> String {
    let rate = snapshot.elapsed > 0 ? Double(snapshot.bytes) / snapshot.elapsed : 0
    var parts = [
      "\(snapshot.files)\(snapshot.listingDone ? "/\(snapshot.filesSeen)" : "") files",
      "\(bytes(snapshot.bytes))\(snapshot.listingDone ? "/\(bytes(snapshot.bytesSeen))" : "")",
      "\(bytes(Int64(rate)))/s",
    ]
    if snapshot.listingDone, rate > 0 {
      parts.append("ETA \(duration(Double(max(0, snapshot.bytesSeen - snapshot.bytes)) / rate))")
    }
    if snapshot.retries > 0 { parts.append("\(snapshot.retries) retries") }
    if snapshot.errors > 0 { parts.append("\(snapshot.errors) errors") }
    return parts.joined(separator: "  ")
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

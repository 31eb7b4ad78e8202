// CellarCLI: `--json`: one JSON object per line, for scripts (the format is documented in the man
// page and stable across versions).
import CellarCore
import Foundation
import Synchronization

/// Writes every event as one line of JSON: `{"event":"node","path":…}`.
///
/// Progress lines are sent at most once a second (the tracker's pace).
final class JSONLinesReporter: ProgressReporter {
  private let output: Mutex<FileHandle>

  init(output: FileHandle) {
    self.output = Mutex(output)
  }

  func report(_ event: ProgressEvent) {
    var object: [String: Any] = ["event": event.name.rawValue]
    switch event {
    case .start(let operation, let dryRun, let sources, let destination):
      object.merge(["operation": operation.rawValue, "sources": sources, "destination": destination]) { $1 }
      if dryRun { object["dryRun"] = true }
    case .progress(let snapshot):
      object.merge(Self.fields(snapshot)) { $1 }
    case .node(let node):
      object.merge(["path": node.path, "type": node.kind.rawValue, "action": node.action.rawValue]) { $1 }
      if let size = node.size { object["size"] = size }
      if let movedFrom = node.movedFrom { object["movedFrom"] = movedFrom }
      if !node.metadata.isEmpty { object["metadata"] = node.metadata }
    case .warning(let path, let message), .error(let path, let message):
      object["message"] = message
      if let path { object["path"] = path }
    case .summary(let snapshot, let outputPath):
      object.merge(Self.fields(snapshot)) { $1 }
      if let outputPath { object["output"] = outputPath }
    }
    guard
      var line = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    else { return }
    line.append(UInt8(ascii: "\n"))
    output.withLock { $0.write(line) }
  }

  private static func fields(_ snapshot: ProgressSnapshot) -> [String: Any] {
    var fields: [String: Any] = [:]
    for counter in ProgressCounter.allCases {
      switch counter.value(in: snapshot) {
      case .count(let count): fields[counter.rawValue] = count
      case .seconds(let seconds): fields[counter.rawValue] = seconds
      }
    }
    return fields
  }
}

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
    var object: [String: Any] = [:]
    switch event {
    case .start(let operation, let sources, let destination):
      object = ["event": "start", "operation": operation, "sources": sources, "destination": destination]
    case .progress(let snapshot):
      object = ["event": "progress"].merging(Self.fields(snapshot)) { $1 }
    case .node(let path, let type, let size, let action):
      object = ["event": "node", "path": path, "type": type, "action": action]
      if let size { object["size"] = size }
    case .warning(let path, let message):
      object = ["event": "warning", "message": message]
      if let path { object["path"] = path }
    case .error(let path, let message):
      object = ["event": "error", "path": path, "message": message]
    case .summary(let snapshot, let outputPath):
      object = ["event": "summary"].merging(Self.fields(snapshot)) { $1 }
      if let outputPath { object["output"] = outputPath }
    }
    guard
      var line = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    else { return }
    line.append(UInt8(ascii: "\n"))
    output.withLock { $0.write(line) }
  }

  private static func fields(_ snapshot: ProgressSnapshot) -> [String: Any] {
    [
      "folders": snapshot.folders, "files": snapshot.files, "bytes": snapshot.bytes, "skipped": snapshot.skipped,
      "errors": snapshot.errors, "retries": snapshot.retries, "elapsed": (snapshot.elapsed * 1000).rounded() / 1000,
      "filesSeen": snapshot.filesSeen, "bytesSeen": snapshot.bytesSeen,
    ]
  }
}

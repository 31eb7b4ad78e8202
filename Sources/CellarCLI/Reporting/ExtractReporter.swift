// CellarCLI: what `cellar extract` and `cellar cat` print about each node and at the end.
import CellarCore
import Foundation
import Synchronization

/// Prints an extraction's events: failures and warnings on standard error, each file with
/// `--verbose`, a closing line; or, with `--json`, one JSON object per event and a summary on
/// standard output.
final class ExtractReporter: Sendable {
  private let json: Bool
  private let verbose: Bool
  private let printsFailures: Bool
  private let firstFailure = Mutex<String?>(nil)

  /// `printsFailures` false keeps failures for `failure` (a command that ends with the first).
  init(json: Bool, verbose: Bool, printsFailures: Bool = true) {
    self.json = json
    self.verbose = verbose
    self.printsFailures = printsFailures
  }

  /// The first failure reported, for a command that fails with it.
  var failure: String? { firstFailure.withLock { $0 } }

  func report(_ event: ExtractEvent) {
    if case .failed(let path, let message) = event {
      firstFailure.withLock { if $0 == nil { $0 = message.hasPrefix(path) ? message : "\(path): \(message)" } }
    }
    if json {
      write(Self.object(event))
      return
    }
    switch event {
    case .folder(_, let local): if verbose { StandardError.print("d \(local)") }
    case .file(_, let local, _, _): if verbose { StandardError.print("x \(local)") }
    case .failed(let path, let message):
      guard printsFailures else { return }
      StandardError.print("cellar: error: \(message.hasPrefix(path) ? message : "\(path): \(message)")")
    case .warning(let message): StandardError.print("cellar: warning: \(message)")
    }
  }

  /// The closing line (or JSON summary).
  func finish(_ summary: ExtractSummary, quiet: Bool) {
    if json {
      write([
        "event": "summary", "files": summary.files, "folders": summary.folders, "bytes": summary.bytes,
        "errors": summary.errors, "archiveBytes": summary.archiveBytes, "archiveBytesRead": summary.archiveBytesRead,
        "seeked": summary.seeked,
      ])
      return
    }
    guard !quiet else { return }
    let share =
      summary.archiveBytes > 0
      ? String(format: " (%.2f%%)", 100 * Double(summary.archiveBytesRead) / Double(summary.archiveBytes)) : ""
    let how = summary.seeked ? "read" : "read the whole archive:"
    StandardError.print(
      "cellar: extracted \(summary.files) files and \(summary.folders) folders, \(summary.bytes) bytes; "
        + "\(how) \(summary.archiveBytesRead) of \(summary.archiveBytes) archive bytes\(share)")
  }

  private static func object(_ event: ExtractEvent) -> [String: Any] {
    switch event {
    case .folder(let path, let local): ["event": "node", "type": "folder", "path": path, "local": local]
    case .file(let path, let local, let bytes, let verified):
      ["event": "node", "type": "file", "path": path, "local": local, "size": bytes, "verified": verified]
    case .failed(let path, let message): ["event": "error", "path": path, "message": message]
    case .warning(let message): ["event": "warning", "message": message]
    }
  }

  private func write(_ object: [String: Any]) {
    guard
      var line = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    else { return }
    line.append(UInt8(ascii: "\n"))
    FileHandle.standardOutput.write(line)
  }
}

// CellarCLI: lines for the user on standard error.
import Foundation

/// Writes to standard error, unbuffered.
enum StandardError {
  /// Writes `line` and a newline.
  static func print(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
  }

  /// Writes `text` as it is (a bar redrawn with "\r").
  static func write(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
  }
}

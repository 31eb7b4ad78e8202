// AgeKit: the line structure shared by recipients files and identity files.

/// The meaningful lines of a key file, with their 1-based numbers.
///
/// Both file kinds hold one key per line, with '#' comments and blank lines; surrounding
/// whitespace (a CR of a CRLF file included) is ignored, as editors add it without asking.
enum KeyFileLines {
  /// Each non-blank, non-comment line, trimmed, with its line number.
  static func entries(of text: String) -> [(number: Int, text: String)] {
    var entries: [(number: Int, text: String)] = []
    // "\r\n" is one Character in Swift, so it is a separator of its own.
    let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
    for (index, line) in lines.enumerated() {
      let trimmed = line.trimmingASCIIWhitespace()
      guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { continue }
      entries.append((index + 1, trimmed))
    }
    return entries
  }
}

extension Substring {
  /// The text without leading and trailing spaces, tabs, CRs and LFs.
  fileprivate func trimmingASCIIWhitespace() -> String {
    let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
    guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else {
      return ""
    }
    return String(self[start...end])
  }
}

extension String {
  /// The text without leading and trailing spaces, tabs, CRs and LFs.
  func trimmingASCIIWhitespace() -> String {
    self[...].trimmingASCIIWhitespace()
  }
}

// CellarCore: where each key of a TOML file is written, for errors that name the line.

/// The line of each key of a TOML document, found by a light scan of its text.
///
/// The TOML parser (TOMLKit) checks the syntax and gives the values but not where they were
/// written; this scan follows table headers, dotted keys, multi-line strings and arrays just
/// enough to say "line 12" of a key the parser accepted.
struct TOMLKeyLines {
  private var lines: [[String]: Int] = [:]

  /// Scans `source`, a document the TOML parser accepted.
  init(source: String) {
    var table: [String] = []
    var open = ValueScanner()
    // isNewline, not "\n": Swift reads a CRLF as one Character, which no "\n" equals.
    for (index, text) in source.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
      let number = index + 1
      if open.isInside {
        open.scan(Substring(text))
        continue
      }
      let line = text.drop(while: { $0 == " " || $0 == "\t" })
      if line.hasPrefix("[") {
        let isArray = line.hasPrefix("[[")
        let header = line.dropFirst(isArray ? 2 : 1).prefix(while: { $0 != "]" })
        table = Self.keyPath(header)
        record(table, at: number)
        continue
      }
      guard let equals = Self.assignment(in: line) else { continue }
      record(table + Self.keyPath(line[..<equals]), at: number)
      open.scan(line[line.index(after: equals)...])
    }
  }

  /// Records `path` and the tables it implies (`[profile.x]` writes `profile` too) at `number`,
  /// where none was seen before.
  ///
  /// Only the first few parts count: no key of a configuration is deeper, and a hostile header
  /// of thousands of parts must not cost their square.
  private mutating func record(_ path: [String], at number: Int) {
    for end in 1...max(min(path.count, Self.depth), 1) where lines[Array(path.prefix(end))] == nil {
      lines[Array(path.prefix(end))] = number
    }
  }

  /// The deepest key path a configuration has (`profiles.NAME.retention.keep-daily`), plus one.
  private static let depth = 5

  /// The line `path` was written on, else that of the nearest enclosing table or key.
  func line(of path: [String]) -> Int? {
    var path = Array(path.prefix(Self.depth))
    while !path.isEmpty {
      if let line = lines[path] { return line }
      path.removeLast()
    }
    return nil
  }

  /// The `=` of a `key = value` line, outside quoted key parts; nil for a blank line or comment.
  private static func assignment(in line: Substring) -> Substring.Index? {
    var quote: Character?
    for index in line.indices {
      let character = line[index]
      if let open = quote {
        if character == open { quote = nil }
      } else if character == "\"" || character == "'" {
        quote = character
      } else if character == "#" {
        return nil
      } else if character == "=" {
        return index
      }
    }
    return nil
  }

  /// The parts of a dotted key (`a."b.c".d` → a, b.c, d).
  static func keyPath(_ text: Substring) -> [String] {
    var parts: [String] = []
    var current = ""
    var quote: Character?
    for character in text {
      if let open = quote {
        if character == open { quote = nil } else { current.append(character) }
      } else if character == "\"" || character == "'" {
        quote = character
      } else if character == "." {
        parts.append(current.trimmingWhitespace)
        current = ""
      } else {
        current.append(character)
      }
    }
    parts.append(current.trimmingWhitespace)
    return parts
  }
}

/// Follows a value across lines: open arrays and inline tables, multi-line strings.
private struct ValueScanner {
  private var depth = 0
  private var multiline: String?

  var isInside: Bool { depth > 0 || multiline != nil }

  mutating func scan(_ text: Substring) {
    var rest = text
    while let character = rest.first {
      if let delimiter = multiline {
        guard let end = rest.range(of: delimiter) else { return }
        rest = rest[end.upperBound...]
        multiline = nil
        continue
      }
      if rest.hasPrefix("\"\"\"") || rest.hasPrefix("'''") {
        multiline = String(rest.prefix(3))
        rest = rest.dropFirst(3)
        continue
      }
      rest = rest.dropFirst()
      switch character {
      case "\"", "'":
        // A one-line string: skip to its end (escaped quotes only in basic strings).
        var escaped = false
        while let next = rest.first {
          rest = rest.dropFirst()
          if escaped {
            escaped = false
          } else if next == "\\" && character == "\"" {
            escaped = true
          } else if next == character {
            break
          }
        }
      case "[", "{": depth += 1
      case "]", "}": depth -= 1
      case "#": return
      default: break
      }
    }
  }
}

extension String {
  fileprivate var trimmingWhitespace: String {
    String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
  }
}

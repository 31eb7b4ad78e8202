// CellarCore: what can be wrong with a configuration file, said with its file and line.

/// A configuration file that cannot be used; each case names the file and, where known, the line.
public enum ConfigError: Error, Equatable, CustomStringConvertible {
  /// `--profile` without `--config`, and none of the usual files exists.
  case notFound(searched: [String])
  /// The file cannot be read.
  case unreadable(path: String, reason: String)
  /// Not TOML.
  case syntax(path: String, line: Int, message: String)
  /// A key cellar does not know (`suggestion`: the known key it is closest to).
  case unknownKey(path: String, line: Int?, key: String, table: String, suggestion: String?)
  /// A value of the wrong type.
  case wrongType(path: String, line: Int?, key: String, expected: String, found: String)
  /// A value that cannot be used (two ways to give the token, an empty list…).
  case invalid(path: String, line: Int?, message: String)
  /// A secret written in a file others can read.
  case exposedSecret(path: String, line: Int?, key: String)
  /// No profile of that name.
  case noProfile(name: String, path: String, known: [String])

  /// One line for the user.
  public var description: String {
    switch self {
    case .notFound(let searched):
      "no configuration file: give --config FILE, or write one of \(searched.joined(separator: ", "))"
    case .unreadable(let path, let reason): "cannot read \(path): \(reason)"
    case .syntax(let path, let line, let message): "\(path):\(line): not valid TOML: \(message)"
    case .unknownKey(let path, let line, let key, let table, let suggestion):
      "\(Self.place(path, line)): unknown key \(key) in [\(table)]"
        + (suggestion.map { " (did you mean \($0)?)" } ?? "")
    case .wrongType(let path, let line, let key, let expected, let found):
      "\(Self.place(path, line)): \(key) must be \(expected), found \(found)"
    case .invalid(let path, let line, let message): "\(Self.place(path, line)): \(message)"
    case .exposedSecret(let path, let line, let key):
      "\(Self.place(path, line)): \(key) is a secret, but others than its owner may read \(path): "
        + "use token-file or token-command, or chmod 600 \(path)"
    case .noProfile(let name, let path, let known):
      "no profile \(name) in \(path)"
        + (known.isEmpty ? " (it has none)" : " (it has \(known.sorted().joined(separator: ", ")))")
    }
  }

  private static func place(_ path: String, _ line: Int?) -> String {
    line.map { "\(path):\($0)" } ?? path
  }
}

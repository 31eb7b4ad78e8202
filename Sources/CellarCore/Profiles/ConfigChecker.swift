// CellarCore: the strict check of a configuration file's tables against `ProfileKey`.
import TOMLKit

/// Turns the TOML tables of one file into checked values, or an error naming the line.
struct ConfigChecker {
  let path: String
  let lines: TOMLKeyLines
  /// Whether the file's mode lets its group or others read it (then no inline secret).
  let othersCanRead: Bool

  /// The checked keys of a `[profiles.NAME]` or `[defaults]` table at `location`.
  func profileTable(_ value: any TOMLValueConvertible, at location: [String]) throws -> [String: ProfileValue] {
    guard let table = value.table else { throw wrongType(location, "a table", value) }
    var values: [String: ProfileValue] = [:]
    for (key, item) in table {
      guard let known = ProfileKey(rawValue: key) else {
        throw unknown(key, in: location, among: ProfileKey.allCases.map(\.rawValue))
      }
      if known.isSecret && othersCanRead {
        throw ConfigError.exposedSecret(path: path, line: lines.line(of: location + [key]), key: key)
      }
      values[key] = try checked(item, as: known.kind, at: location + [key])
    }
    let tokenSources = [ProfileKey.token, .tokenFile, .tokenCommand].filter { values[$0.rawValue] != nil }
    if tokenSources.count > 1 {
      throw ConfigError.invalid(
        path: path, line: lines.line(of: location + [tokenSources[1].rawValue]),
        message: "give one of \(tokenSources.map(\.rawValue).joined(separator: ", ")), not several")
    }
    return values
  }

  /// `value` as `kind`, or an error naming `location`'s line.
  private func checked(_ value: any TOMLValueConvertible, as kind: ProfileKey.Kind, at location: [String]) throws
    -> ProfileValue
  {
    switch kind {
    case .string:
      guard let string = value.string else { throw wrongType(location, "a string", value) }
      return .string(string)
    case .bool:
      guard value.type == .bool, let bool = value.bool else { throw wrongType(location, "true or false", value) }
      return .bool(bool)
    case .integer(let minimum):
      guard value.type == .int, let integer = value.int else { throw wrongType(location, "an integer", value) }
      guard integer >= minimum else {
        throw ConfigError.invalid(
          path: path, line: lines.line(of: location), message: "\(location.last ?? "") must be at least \(minimum)")
      }
      return .integer(integer)
    case .strings:
      if let string = value.string { return .strings([string]) }
      guard let array = value.array else { throw wrongType(location, "a string or an array of strings", value) }
      var strings: [String] = []
      for element in array {
        guard let string = element.string else { throw wrongType(location, "an array of strings", element) }
        strings.append(string)
      }
      return .strings(strings)
    case .table(let keys):
      guard let table = value.table else { throw wrongType(location, "a table", value) }
      var values: [String: ProfileValue] = [:]
      for (key, item) in table {
        guard let kind = keys[key] else { throw unknown(key, in: location, among: Array(keys.keys)) }
        values[key] = try checked(item, as: kind, at: location + [key])
      }
      return .table(values)
    }
  }

  func wrongType(_ location: [String], _ expected: String, _ value: any TOMLValueConvertible) -> ConfigError {
    .wrongType(
      path: path, line: lines.line(of: location), key: location.last ?? "", expected: expected,
      found: "\(value.type)")
  }

  private func unknown(_ key: String, in location: [String], among known: [String]) -> ConfigError {
    .unknownKey(
      path: path, line: lines.line(of: location + [key]), key: key, table: location.joined(separator: "."),
      suggestion: Self.closest(key, among: known))
  }

  /// The known key `key` is most likely a misspelling of: within two edits.
  static func closest(_ key: String, among known: [String]) -> String? {
    known.map { ($0, editDistance(key, $0)) }.filter { $0.1 <= 2 }.min { $0.1 < $1.1 }?.0
  }

  private static func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    var previous = Array(0...b.count)
    for (i, x) in a.enumerated() {
      var current = [i + 1]
      for (j, y) in b.enumerated() {
        current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
      }
      previous = current
    }
    return previous[b.count]
  }
}

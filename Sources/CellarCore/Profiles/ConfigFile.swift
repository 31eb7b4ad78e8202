// CellarCore: the configuration file (`cellar.toml`): named profiles of settings, checked strictly.
import Foundation
import TOMLKit

/// A configuration file: `[defaults]` and `[profiles.NAME]` tables of settings.
///
/// The file is checked whole when it is read: an unknown key, a value of the wrong type or a
/// token written in a file others can read is an error that names its line, whichever profile
/// is asked for.
public struct ConfigFile: Sendable {
  /// Where the file was read from.
  public let path: String
  /// The profiles, by name, each over the defaults.
  public let profiles: [String: Profile]

  /// The files looked for when no `--config` is given, first found wins:
  /// `$XDG_CONFIG_HOME/cellar/cellar.toml` (else `~/.config/…`), then `/etc/cellar/cellar.toml`.
  public static func searchPaths(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
    let home = environment["HOME"] ?? NSHomeDirectory()
    let configHome = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.config"
    return [configHome + "/cellar/cellar.toml", "/etc/cellar/cellar.toml"]
  }

  /// The profile `name` of `explicit` (`--config`), else of the first file of `searchPaths`.
  public static func profile(
    _ name: String, config explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws -> Profile {
    let searched = searchPaths(environment: environment)
    guard let path = explicit ?? searched.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
      throw ConfigError.notFound(searched: searched)
    }
    return try ConfigFile(path: path).profile(name)
  }

  /// Reads and checks the file at `path`.
  public init(path: String) throws {
    let text: String
    let mode: Int
    // stat, not lstat: a link's target is what others may read.
    var status = stat()
    guard stat(path, &status) == 0 else {
      throw ConfigError.unreadable(path: path, reason: String(cString: strerror(errno)))
    }
    guard status.st_mode & S_IFMT == S_IFREG else { throw ConfigError.unreadable(path: path, reason: "not a file") }
    mode = Int(status.st_mode & 0o777)
    do {
      text = try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      throw ConfigError.unreadable(path: path, reason: "not readable as UTF-8 text")
    }
    try self.init(path: path, text: text, mode: mode)
  }

  /// Checks `text`, the content of `path` whose permission bits are `mode`.
  init(path: String, text: String, mode: Int) throws {
    let document: TOMLTable
    do {
      document = try TOMLTable(string: text)
    } catch let error as TOMLParseError {
      throw ConfigError.syntax(path: path, line: error.source.begin.line, message: error.description)
    }
    let checker = ConfigChecker(path: path, lines: TOMLKeyLines(source: text), othersCanRead: mode & 0o077 != 0)
    var defaults: [String: ProfileValue] = [:]
    var profiles: [String: [String: ProfileValue]] = [:]
    for (key, value) in document {
      switch key {
      case "defaults":
        defaults = try checker.profileTable(value, at: ["defaults"])
      case "profiles":
        guard let table = value.table else { throw checker.wrongType(["profiles"], "a table", value) }
        for (name, profile) in table {
          profiles[name] = try checker.profileTable(profile, at: ["profiles", name])
        }
      default:
        throw ConfigError.unknownKey(
          path: path, line: checker.lines.line(of: [key]), key: key, table: "top level",
          suggestion: ConfigChecker.closest(key, among: ["defaults", "profiles"]))
      }
    }
    self.path = path
    self.profiles = Dictionary(
      uniqueKeysWithValues: profiles.map { name, values in
        (name, Profile(name: name, file: path, values: Self.merge(values, over: defaults)))
      })
  }

  /// The profile called `name`.
  public func profile(_ name: String) throws -> Profile {
    guard let profile = profiles[name] else {
      throw ConfigError.noProfile(name: name, path: path, known: Array(profiles.keys))
    }
    return profile
  }

  /// `values` over `defaults`, sub-tables merged key by key; the credentials as one setting (a
  /// profile's `token-command` replaces the defaults' `token-file`).
  private static func merge(
    _ values: [String: ProfileValue], over defaults: [String: ProfileValue]
  ) -> [String: ProfileValue] {
    let credentials = [ProfileKey.token, .tokenFile, .tokenCommand, .login, .passwordFile].map(\.rawValue)
    var defaults = defaults
    if credentials.contains(where: { values[$0] != nil }) {
      for key in credentials { defaults[key] = nil }
    }
    return defaults.merging(values) { old, new in
      if let old = old.table, let new = new.table { return .table(old.merging(new) { $1 }) }
      return new
    }
  }
}

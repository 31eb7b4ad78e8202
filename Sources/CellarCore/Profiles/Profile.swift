// CellarCore: one named profile of the configuration file.

/// The settings of `[profiles.NAME]`, over those of `[defaults]`.
///
/// The command-line flags win over every value here: a command asks for a value only when its
/// flag was not given.
public struct Profile: Sendable {
  /// The profile's name.
  public let name: String
  /// The file it was read from.
  public let file: String
  let values: [String: ProfileValue]

  /// A string value (`url`, `output`…).
  public func string(_ key: ProfileKey) -> String? { values[key.rawValue]?.string }
  /// A boolean value (`admin`, `quiet`…).
  public func bool(_ key: ProfileKey) -> Bool? { values[key.rawValue]?.bool }
  /// An integer value (`jobs`, `level`…).
  public func integer(_ key: ProfileKey) -> Int? { values[key.rawValue]?.integer }
  /// A list value (`sources`, `exclude`…); empty when not set.
  public func strings(_ key: ProfileKey) -> [String] { values[key.rawValue]?.strings ?? [] }

  /// A retention count (`keep-daily`…) from `[profiles.NAME.retention]`.
  public func retention(_ key: RetentionKey) -> ProfileValue? {
    values[ProfileKey.retention.rawValue]?.table?[key.rawValue]
  }

  /// A drill setting from `[profiles.NAME.drill]`.
  public func drill(_ key: DrillKey) -> ProfileValue? {
    values[ProfileKey.drill.rawValue]?.table?[key.rawValue]
  }

  /// The context its sources are read in: "admin" with `admin = true`, else "user".
  public var context: String { bool(.admin) == true ? "admin" : "user" }

  /// Whether the profile has a retention policy.
  public var hasRetention: Bool { values[ProfileKey.retention.rawValue] != nil }
}

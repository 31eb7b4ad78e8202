// CellarCore: the keys a profile of the configuration file may hold, and their types.

/// One key of a `[profiles.NAME]` table (or of `[defaults]`), named as in the file.
///
/// Most keys are the long flag of the same name; the file is checked against this list, so a
/// misspelt key is an error rather than a setting silently ignored.
public enum ProfileKey: String, CaseIterable, Sendable {
  // Connection
  case url, token, login, insecure, timeout, retries
  case tokenFile = "token-file", tokenCommand = "token-command", passwordFile = "password-file", caFile = "ca-file"
  // What and where
  case sources, admin, output, format, level, include, exclude, versions, jobs, since, lock, bwlimit, quiet
  case includeRecycleBin = "include-recycle-bin", localTime = "local-time", maxDuration = "max-duration"
  // Encryption and object storage
  case encryptTo = "encrypt-to", encryptToFile = "encrypt-to-file", passphraseFile = "passphrase-file", identity
  case s3Endpoint = "s3-endpoint", s3Profile = "s3-profile"
  // Monitoring
  case pingURL = "ping-url", metricsFile = "metrics-file"
  // Sub-tables
  case retention, drill

  /// What a key's value must be.
  public enum Kind: Sendable {
    case string, bool
    /// An integer no smaller than this.
    case integer(minimum: Int)
    /// An array of strings (a single string is taken as an array of one).
    case strings
    /// A table of these keys.
    indirect case table([String: Kind])
  }

  /// The type of this key's value.
  public var kind: Kind {
    switch self {
    case .admin, .insecure, .versions, .quiet, .includeRecycleBin, .localTime: .bool
    case .timeout, .jobs: .integer(minimum: 1)
    case .retries, .level: .integer(minimum: 0)
    case .sources, .include, .exclude, .encryptTo, .encryptToFile, .identity: .strings
    case .retention: .table(Dictionary(uniqueKeysWithValues: RetentionKey.allCases.map { ($0.rawValue, $0.kind) }))
    case .drill: .table(Dictionary(uniqueKeysWithValues: DrillKey.allCases.map { ($0.rawValue, $0.kind) }))
    default: .string
    }
  }

  /// Whether the value is a secret, allowed inline only in a file its owner alone can read.
  public var isSecret: Bool { self == .token }
}

/// The keys of a profile's `[profiles.NAME.retention]` table: `cellar prune --profile NAME`.
public enum RetentionKey: String, CaseIterable, Sendable {
  case keepLast = "keep-last", keepHourly = "keep-hourly", keepDaily = "keep-daily", keepWeekly = "keep-weekly"
  case keepMonthly = "keep-monthly", keepYearly = "keep-yearly", groupBy = "group-by"

  var kind: ProfileKey.Kind { self == .groupBy ? .string : .integer(minimum: 0) }
}

/// The keys of a profile's `[profiles.NAME.drill]` table: `cellar drill --profile NAME`.
public enum DrillKey: String, CaseIterable, Sendable {
  case sample, scratch

  var kind: ProfileKey.Kind { self == .sample ? .integer(minimum: 1) : .string }
}

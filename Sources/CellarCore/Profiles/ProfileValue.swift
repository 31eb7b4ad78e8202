// CellarCore: one value of a profile, of the type its key calls for.

/// A checked value of a configuration file.
public enum ProfileValue: Sendable, Equatable {
  case string(String)
  case bool(Bool)
  case integer(Int)
  case strings([String])
  case table([String: ProfileValue])

  /// The string, when the value is one.
  public var string: String? { if case .string(let value) = self { value } else { nil } }
  /// The boolean, when the value is one.
  public var bool: Bool? { if case .bool(let value) = self { value } else { nil } }
  /// The integer, when the value is one.
  public var integer: Int? { if case .integer(let value) = self { value } else { nil } }
  /// The strings, when the value is a list.
  public var strings: [String]? { if case .strings(let value) = self { value } else { nil } }
  /// The keys and values, when the value is a table.
  public var table: [String: ProfileValue]? { if case .table(let value) = self { value } else { nil } }
}

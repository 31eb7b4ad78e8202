// CellarCore: the `operation` of a start event.

/// The command a run of events belongs to.
public enum CellarOperation: String, Sendable, CaseIterable {
  /// `cellar backup`.
  case backup
  /// `cellar restore`.
  case restore
  /// `cellar verify`.
  case verify
}

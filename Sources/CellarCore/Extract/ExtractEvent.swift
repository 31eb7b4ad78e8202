// CellarCore: what an extraction tells as it goes.

/// One node copied out of an archive, or one that could not be.
public enum ExtractEvent: Sendable, Equatable {
  /// A folder created (or found) at `local`.
  case folder(path: String, local: String)
  /// A file written whole, its SHA-256 checked when the manifest gives one.
  case file(path: String, local: String, bytes: Int64, verified: Bool)
  /// A node that was not extracted, and why.
  case failed(path: String, message: String)
  /// Something the user should know that is not a failure.
  case warning(String)
}

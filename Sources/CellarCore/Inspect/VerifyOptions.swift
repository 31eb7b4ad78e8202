// CellarCore: what `cellar verify` is asked to check.

/// The options of a verification (`cellar verify`).
public struct VerifyOptions: Sendable {
  /// The archive.
  public var archive: String
  /// The sidecar (default: `ARCHIVE.meta.json` when present).
  public var sidecar: String?
  /// Also compare the manifest with the live server.
  public var remote = false

  /// Options verifying `archive` against its manifest.
  public init(archive: String, sidecar: String? = nil, remote: Bool = false) {
    self.archive = archive
    self.sidecar = sidecar
    self.remote = remote
  }
}

// CellarCore: what `cellar verify` is asked to check.

/// The options of a verification (`cellar verify`).
public struct VerifyOptions: Sendable {
  /// The archive.
  public var archive: String
  /// The sidecar (default: `ARCHIVE.meta.json` when present).
  public var sidecar: String?
  /// Also compare the manifest with the live server.
  public var remote = false
  /// The earlier archives of its chain, oldest (the full backup) first: `archive` is then the
  /// last incremental backup, and the chain is checked too.
  public var earlier: [String] = []
  /// Find the earlier archives by following each base's name beside the archive (`--chain`).
  public var followChain = false

  /// Options verifying `archive` against its manifest, and with `earlier` or `followChain` the
  /// chain it ends.
  public init(
    archive: String, sidecar: String? = nil, remote: Bool = false, earlier: [String] = [], followChain: Bool = false
  ) {
    self.archive = archive
    self.sidecar = sidecar
    self.remote = remote
    self.earlier = earlier
    self.followChain = followChain
  }
}

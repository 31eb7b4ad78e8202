// CellarCore: what `cellar ls` is asked to list.

/// The options of a listing (`cellar ls`).
public struct ListOptions: Sendable {
  /// The archive, or its sidecar (`NAME.meta.json`) when the archive is elsewhere.
  public var archive: String
  /// The sidecar to read (default: `ARCHIVE.meta.json` when present).
  public var sidecar: String?
  /// List the archive's members as stored, reading the whole archive, instead of its manifest.
  public var members = false
  /// When members are listed (asked for, or no manifest): also hash each file (reads every byte).
  public var hashes = false

  /// Options listing `archive` from its manifest.
  public init(archive: String, sidecar: String? = nil, members: Bool = false, hashes: Bool = false) {
    self.archive = archive
    self.sidecar = sidecar
    self.members = members
    self.hashes = hashes
  }
}

// CellarCore: what a restore is asked to do (docs/architecture.md, "Commands and options").

/// The settings of one `cellar restore` run.
public struct RestoreOptions: Sendable {
  /// The archive file (of a chain, the last one: the state it records is restored).
  public var archive: String
  /// The archives of the chain before `archive`, oldest (the full backup) first.
  public var earlier: [String] = []
  /// Find the chain before `archive` by following each incremental backup's base beside it.
  public var followChain = false
  /// The sidecar; nil looks for `ARCHIVE.meta.json` beside the archive, then for the manifest
  /// inside the archive.
  public var sidecar: String?
  /// The Cells path that replaces the archive's source root; nil restores to the original paths.
  public var destination: String?
  /// Globs (matched on the path below the source root) that select what to restore; empty: all.
  public var only: [String]
  /// What to do when a file exists.
  public var onConflict: ConflictPolicy
  /// Whether user metadata (tags, bookmarks…) is written back.
  public var restoresMetadata: Bool
  /// Files uploaded at once.
  public var jobs: Int
  /// Print the plan and change nothing.
  public var dryRun: Bool
  /// How to reach an `s3://` archive (and its sidecar, `KEY.meta.json` beside it).
  public var s3: S3Settings?
  /// Restore an incremental archive without its chain, the files it holds itself only (a
  /// drill of an archive on S3, whose chain cannot be fetched; `only` selects such files).
  var ownMembersOnly = false

  /// Options for restoring `archive`.
  public init(
    archive: String, sidecar: String? = nil, destination: String? = nil, only: [String] = [],
    onConflict: ConflictPolicy = .skip, restoresMetadata: Bool = true, jobs: Int = Transfers.defaultJobs,
    dryRun: Bool = false
  ) {
    self.archive = archive
    self.sidecar = sidecar
    self.destination = destination
    self.only = only
    self.onConflict = onConflict
    self.restoresMetadata = restoresMetadata
    self.jobs = jobs
    self.dryRun = dryRun
  }
}

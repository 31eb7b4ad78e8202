// CellarCore: what a restore drill is asked to do (`cellar drill`).

/// The parameters of one `cellar drill` run.
public struct DrillOptions: Sendable {
  /// The archive to drill (a file or `s3://BUCKET/KEY`), or the shards of one backup.
  public var archives: [String]
  /// How many files to restore and check.
  public var sample: Int
  /// The Cells folder the sample is restored into.
  ///
  /// nil: `WORKSPACE/cellar-drill-TIME` in the archive's first workspace. It must not exist,
  /// and is deleted permanently afterwards.
  public var scratch: String?
  /// Picks the same sample every time (tests, reproducing a failure); nil: a new one each run.
  public var seed: UInt64?
  /// Leave the scratch folder on the server (to look at a failure).
  public var keepScratch = false
  /// Parallel uploads, as for a restore.
  public var jobs = Transfers.defaultJobs
  /// How to reach an `s3://` archive.
  public var s3: S3Settings?

  /// A drill of `sample` files of `archives`.
  public init(archives: [String], sample: Int) {
    self.archives = archives
    self.sample = sample
  }
}

// CellarCore: what a backup run is asked to do (docs/architecture.md, "Commands and options").
import AgeKit
import ArchiveKit
import CellsKit
import Foundation

/// The parameters of one `cellar backup` run.
public struct BackupOptions: Sendable {
  /// Cells paths to back up, as given ("common-files/projects", "/" for everything).
  public var sources: [String]
  /// User (workspace paths) or admin (datasource paths) context.
  public var context: TreeWalker.Context = .user
  /// The archive's path, or "-" for standard output.
  public var output: String
  /// The sidecar's path; nil means `output + ".meta.json"` (required when `output` is "-").
  public var sidecar: String?
  /// The archive format.
  public var format: ArchiveFormat
  /// The compression level, nil for the format's default.
  public var level: Int?
  /// Include globs, matched on the path below each source.
  public var include: [String] = []
  /// Exclude globs, matched on the path below each source.
  public var exclude: [String] = []
  /// Whether workspace recycle bins are archived too.
  public var includeRecycleBin = false
  /// Whether old file versions are archived too.
  public var versions = false
  /// Parallel downloads.
  public var jobs = Transfers.defaultJobs
  /// Walk and report, write nothing.
  public var dryRun = false
  /// Memory for file bodies read ahead of the archive writer; larger files stream instead.
  public var readAheadBytes = 16 << 20
  /// Compression threads for tar.zst and tar.xz; nil chooses per format (see
  /// `effectiveCompressionThreads`).
  public var compressionThreads: Int?
  /// Incremental backup: the sidecar of the backup to be relative to, or a directory whose
  /// newest backup of the same sources is used.
  public var since: String?
  /// Expand strftime conversions in `output` and `sidecar` in local time rather than UTC.
  public var localTime = false
  /// The lock file; nil means `DIR/.cellar.lock` beside a templated output, no lock otherwise.
  public var lock: String?
  /// Take no lock, even for a templated output.
  public var noLock = false
  /// Replace an existing archive and sidecar of the same name (never one an incremental
  /// backup in the folder is relative to); without it a taken name is an error, or a numbered
  /// name for a templated output.
  public var overwrite = false
  /// Stop (removing the partial outputs) when the run lasts longer than this.
  public var maxDuration: Duration?
  /// Whom the archive and sidecar are encrypted to (age); none: written plain.
  public var recipients: [AgeRecipient] = []
  /// How to reach an `s3://` output or `--since` prefix.
  public var s3: S3Settings?
  /// The shard of the tree this run backs up; nil: all of it.
  public var shard: ShardSpec?
  /// What the shards of this run share, recorded so that restore takes them together.
  public var shardSet: String?

  /// Options for backing up `sources` into `output` in `format`.
  public init(sources: [String], output: String, format: ArchiveFormat) {
    self.sources = sources
    self.output = output
    self.format = format
  }

  /// The sidecar path actually used.
  public var sidecarPath: String { sidecar ?? output + ".meta.json" }

  /// The lock file a run takes, if any: `lock`, else `.cellar.lock` beside a templated output.
  var lockPath: String? {
    if noLock || dryRun { return nil }
    if let lock { return lock }
    guard OutputTemplate(output).isTemplated else { return nil }
    if let url = try? S3ObjectURL(output) { return S3Lease.url(besides: url, shard: shard).description }
    return RunLock.path(inFolder: (output as NSString).deletingLastPathComponent, shard: shard)
  }

  /// These options with `output` and `sidecar` expanded for a run started at `date`, and the
  /// lock made explicit (`lockPath` is known only before the expansion).
  func expanded(at date: Date) throws -> BackupOptions {
    var options = self
    options.lock = try lockPath.map { try OutputTemplate($0, localTime: localTime).expand(at: date) }
    options.output = try OutputTemplate(output, localTime: localTime).expand(at: date)
    options.sidecar = try sidecar.map { try OutputTemplate($0, localTime: localTime).expand(at: date) }
    return options
  }

  /// The compression level used: the one asked for, else the format's default, except for xz,
  /// whose default (6) needs a 94 MiB encoder; level 3 keeps a backup under 100 MiB.
  var effectiveLevel: Int? {
    level ?? (format == .tarXz ? 3 : nil)
  }

  /// The threads the compressor gets: one unless asked.
  ///
  /// A second zstd thread cost 47 MiB more
  /// on a 100,000-node backup (108 MiB peak against 61), past the 100 MiB ceiling, and the
  /// other core is busy with downloads and hashing anyway.
  var effectiveCompressionThreads: Int { compressionThreads ?? 1 }

  /// Files up to this size are read ahead in memory; larger ones are streamed into the archive.
  var readAheadFileLimit: Int64 { Int64(max(1, readAheadBytes / 8)) }
}

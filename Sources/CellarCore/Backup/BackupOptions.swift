// CellarCore: what a backup run is asked to do (design.md §1, backup options).
import ArchiveKit
import CellsKit

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
  public var jobs = 8
  /// Walk and report, write nothing.
  public var dryRun = false
  /// Memory for file bodies read ahead of the archive writer; larger files stream instead.
  public var readAheadBytes = 32 << 20
  /// Compression threads for tar.zst and tar.xz (each costs memory: see ArchiveWriter).
  public var compressionThreads = 2

  /// Options for backing up `sources` into `output` in `format`.
  public init(sources: [String], output: String, format: ArchiveFormat) {
    self.sources = sources
    self.output = output
    self.format = format
  }

  /// The sidecar path actually used.
  public var sidecarPath: String { sidecar ?? output + ".meta.json" }

  /// Files up to this size are read ahead in memory; larger ones are streamed into the archive.
  var readAheadFileLimit: Int64 { Int64(max(1, readAheadBytes / 8)) }
}

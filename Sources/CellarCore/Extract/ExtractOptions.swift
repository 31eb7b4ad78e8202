// CellarCore: what `cellar cat` and `cellar extract` are asked to do.

/// Members to copy out of an archive, to the local disk or to standard output.
public struct ExtractOptions: Sendable {
  /// The archive: a local path, or an `s3://BUCKET/KEY` URL.
  public var archive: String
  /// The manifest sidecar; nil: `ARCHIVE.meta.json` when it exists.
  public var sidecar: String?
  /// Cells paths (files or folders, everything below a folder) as the archive records them; a
  /// leading `/` is ignored.
  public var paths: [String]
  /// The local folder to extract into (created when missing); nil writes the one file's bytes
  /// to standard output (`cellar cat`).
  public var destination: String?
  /// Replace local files that exist.
  public var overwrite: Bool
  /// How to reach an `s3://` archive (and its sidecar, `KEY.meta.json` beside it).
  public var s3: S3Settings?

  /// Options for extracting `paths` of `archive`.
  public init(
    archive: String, sidecar: String? = nil, paths: [String], destination: String?, overwrite: Bool = false,
    s3: S3Settings? = nil
  ) {
    self.archive = archive
    self.sidecar = sidecar
    self.paths = paths
    self.destination = destination
    self.overwrite = overwrite
    self.s3 = s3
  }
}

// CellarCore: which archive a scheduled drill takes when none is named (`drill --profile`).
import Foundation

/// The newest backup of a profile's sources in its output folder: what tonight's drill checks.
public enum DrillTarget {
  /// The archive of the newest backup of `sources` (`context`) in `folder` (a directory or an
  /// S3 prefix); shards of one backup count as backups of their sources.
  public static func newest(in folder: String, context: String, sources: [String], s3: S3Settings?) async throws
    -> String
  {
    let catalog: ArchiveCatalog
    if let url = try S3ObjectURL(folder.hasSuffix("/") ? folder : folder + "/"), let s3 {
      catalog = try await ArchiveCatalog.scan(url, settings: s3)
    } else {
      catalog = try await OwnThread.run { try ArchiveCatalog.scan(folder) }
    }
    let normalized = BackupSources.normalized(sources)
    let newest = catalog.entries.last { entry in
      entry.header.covers(context: context, sources: normalized, shard: entry.header.shard)
    }
    guard let newest else {
      throw CellarError.usage(
        "no backup of \(normalized.map { $0.isEmpty ? "/" : $0 }.joined(separator: " ")) in \(folder) to drill")
    }
    return newest.archive
  }
}

// CellarCore: which archive a scheduled drill takes when none is named (`drill --profile`).
import Foundation

/// The newest backup of a profile's sources in its output folder: what tonight's drill checks.
public enum DrillTarget {
  /// The archive of the newest backup of `sources` (`context`) in `folder` (a directory or an
  /// S3 prefix); for a sharded backup, the shards of its newest run that has them all.
  public static func newest(in folder: String, context: String, sources: [String], s3: S3Settings?) async throws
    -> [String]
  {
    let catalog: ArchiveCatalog
    if let url = try S3ObjectURL(folder.hasSuffix("/") ? folder : folder + "/"), let s3 {
      catalog = try await ArchiveCatalog.scan(url, settings: s3)
    } else {
      catalog = try await OwnThread.run { try ArchiveCatalog.scan(folder) }
    }
    let normalized = BackupSources.normalized(sources)
    let backups = catalog.entries.filter {
      $0.header.covers(context: context, sources: normalized, shard: $0.header.shard)
    }
    for newest in backups.reversed() {
      guard let shard = newest.header.shard else { return [newest.archive] }
      let run = backups.filter { ShardSet.sameRun($0.header, newest.header) }
      let byIndex = Dictionary(run.map { ($0.header.shard!.index, $0.archive) }) { _, newer in newer }
      if byIndex.count == shard.count { return (0..<shard.count).map { byIndex[$0]! } }
    }
    throw CellarError.usage(
      "no " + (backups.isEmpty ? "" : "complete ") + "backup of "
        + "\(normalized.map { $0.isEmpty ? "/" : $0 }.joined(separator: " ")) in \(folder) to drill")
  }
}

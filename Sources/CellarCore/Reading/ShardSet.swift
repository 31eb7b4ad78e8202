// CellarCore: the shards of one backup, given together to restore, ls or verify.
import Foundation

/// The archives of a backup split into shards (`backup --shard K/N`), checked to be one whole.
public enum ShardSet {
  /// One shard's archive.
  public struct Member: Sendable {
    /// The archive, as given.
    public var archive: String
    /// Which shard it holds.
    public var shard: ShardSpec
    /// Whether it is an incremental backup (its chain is needed too).
    public var isIncremental: Bool
  }

  /// `archives` in shard order when they are the shards of one backup; nil when none of them
  /// is a shard (a chain, or a single archive).
  ///
  /// Throws a usage error when they are shards but not all of one whole: shards mixed with
  /// other backups, of another split, of other sources or servers, one given twice or one
  /// missing (a restore of part of a night would look complete and is not).
  public static func members(of archives: [String]) async throws -> [Member]? {
    var headers: [(archive: String, header: ManifestHeader)] = []
    for archive in archives {
      guard let header = try await header(of: archive) else { return nil }
      if header.shard == nil && headers.isEmpty { return nil }
      headers.append((archive, header))
    }
    guard let first = headers.first?.header, let count = first.shard?.count else { return nil }
    var byIndex: [Int: Member] = [:]
    for (archive, header) in headers {
      guard let shard = header.shard else {
        throw CellarError.usage(
          "\(archive) is not a shard, but \(headers[0].archive) is: give the shards of one backup")
      }
      guard shard.count == count, header.covers(context: first.context, sources: first.sources, shard: shard),
        header.server.url == first.server.url
      else {
        throw CellarError.usage(
          "\(archive) (shard \(shard)) is not a shard of the same backup as \(headers[0].archive) (shard "
            + "\(first.shard!)): same server, context, sources and shard count needed")
      }
      if let twin = byIndex[shard.index] {
        throw CellarError.usage("\(twin.archive) and \(archive) are both shard \(shard)")
      }
      byIndex[shard.index] = Member(archive: archive, shard: shard, isIncremental: header.base != nil)
    }
    try checkOneRun(headers)
    let missing = (0..<count).filter { byIndex[$0] == nil }
    guard missing.isEmpty else {
      throw CellarError.usage(
        "shard \(missing.map { "\($0)/\(count)" }.joined(separator: ", ")) missing: give all \(count) shards of the "
          + "backup (restore, ls and verify take them together so that nothing is left out)")
    }
    return (0..<count).map { byIndex[$0]! }
  }

  /// Refuses shards of different runs: their `shardSet` differs, or, without one, their starts
  /// are further apart than one night's window (a folder moved between two nights would be in
  /// neither of a night's shard and the next's, or in both).
  private static func checkOneRun(_ headers: [(archive: String, header: ManifestHeader)]) throws {
    let sets = Set(headers.map(\.header.shardSet))
    guard sets.count == 1 else {
      let named = headers.map { "\($0.archive): \($0.header.shardSet ?? "none")" }.joined(separator: ", ")
      throw CellarError.usage("these shards are of different runs (--shard-set \(named))")
    }
    // The same split of the same tree (checked before): what is left to tell runs apart is time.
    for (index, a) in headers.enumerated() {
      for b in headers[(index + 1)...] where !sameRun(a.header, b.header) {
        throw CellarError.usage(
          "\(a.archive) and \(b.archive) started more than 12 hours apart: shards of different nights "
            + "(give the shards of one run; backup --shard-set ties a run's shards together)")
      }
    }
  }

  /// How far apart the shards of one run without `--shard-set` may have started.
  static let maximumSpread: TimeInterval = 12 * 3600

  /// Whether `a` and `b` are shards of one run: one split of the same tree, the same
  /// `--shard-set` (or none, and started within `maximumSpread` of each other).
  static func sameRun(_ a: ManifestHeader, _ b: ManifestHeader) -> Bool {
    guard let shardA = a.shard, let shardB = b.shard, shardA.count == shardB.count, a.server.url == b.server.url,
      a.covers(context: b.context, sources: b.sources, shard: a.shard), a.shardSet == b.shardSet
    else { return false }
    guard a.shardSet == nil else { return true }
    let formatter = ISO8601DateFormatter()
    guard let startA = formatter.date(from: a.startedAt), let startB = formatter.date(from: b.startedAt) else {
      return false
    }
    return abs(startA.timeIntervalSince(startB)) <= maximumSpread
  }

  /// The header of `archive`'s manifest (sidecar, else its own member); nil when it has none.
  ///
  /// On S3 only the sidecar's first lines are read (ranged reads): the command that follows
  /// reads the sidecars it needs whole anyway.
  private static func header(of archive: String) async throws -> ManifestHeader? {
    if let url = try S3ObjectURL(archive) {
      let sidecar = url.sibling(url.key + ".meta.json").description
      guard try await ArchiveLocation.exists(sidecar) else { return nil }
      return try await OwnThread.run {
        try ArchiveCatalog.header(sidecar, bytes: ArchiveLocation.open(sidecar, s3: nil))
      }
    }
    if let sidecar = try ManifestSource.sidecar(for: archive, given: nil) {
      return try ManifestSource.sidecar(sidecar).reader().header()
    }
    return try? ManifestSource.member(archive: archive).reader().header()
  }
}

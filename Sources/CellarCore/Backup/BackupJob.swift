// CellarCore: `cellar backup`: Walker → Fetchers → ArchiveWriter, with the manifest beside the
// writer (docs/architecture.md, "Backup data path").
import AgeKit
import CellsKit
import Foundation
import S3Kit

/// One backup run: walks the sources, fetches file bodies concurrently within a memory budget,
/// and appends members in walk order to the archive, recording each node in the manifest.
public struct BackupJob: Sendable {
  /// What to back up, and where to.
  public let options: BackupOptions
  /// The server.
  public let connection: CellsConnection
  /// Counters and events.
  public let tracker: ProgressTracker

  /// A run of `options` against `connection`, reporting to `tracker`.
  public init(options: BackupOptions, connection: CellsConnection, tracker: ProgressTracker) {
    self.options = options
    self.connection = connection
    self.tracker = tracker
  }

  /// What a run produced.
  public struct Outcome: Sendable {
    /// The counts the manifest ends with.
    public var summary: ManifestTrailer.Summary
    /// The archive written (nil for a dry run).
    public var archive: ManifestTrailer.Archive?
  }

  /// Runs the backup and returns its summary and archive record.
  ///
  /// Nodes that failed are counted in `errors` (each was reported and is listed in the
  /// sidecar). Throws when nothing useful could be produced,
  /// after removing the partial outputs.
  ///
  /// A templated output is expanded with the start time; the lock (`BackupOptions.lockPath`) is
  /// held for the whole run, waited for when another run holds it; `maxDuration` bounds it all.
  public func run() async throws -> Outcome {
    try validate()
    let startedAt = Date()
    let options = try self.options.expanded(at: startedAt)
    let templated = OutputTemplate(self.options.output).isTemplated
    return try await RunDeadline.run(within: options.maxDuration) {
      let lock = try await RunLockHold.acquire(options.lockPath, s3: options.s3, tracker: tracker)
      do {
        let outcome = try await locked(options: options, templated: templated, startedAt: startedAt)
        await lock.release()
        return outcome
      } catch {
        await lock.release()
        throw error
      }
    }
  }

  /// The run, once the lock is held.
  private func locked(options: BackupOptions, templated: Bool, startedAt: Date) async throws -> Outcome {
    let base = try await BackupJob(options: options, connection: connection, tracker: tracker).loadBase()
    let claimed = try await OutputClaim.resolve(options, templated: templated, base: base?.archive, tracker: tracker)
    return try await BackupJob(options: claimed, connection: connection, tracker: tracker)
      .perform(startedAt: startedAt, base: base)
  }

  private func perform(startedAt: Date, base: BackupBase?) async throws -> Outcome {
    let mapping = options.context == .admin ? try await connection.rest.workspaceMapping() : nil
    let failures = FailureLog(tracker: tracker)
    let sources = BackupSources(
      options: options, connection: connection, mapping: mapping, tracker: tracker, failures: failures)
    tracker.report(
      .start(
        operation: .backup, dryRun: options.dryRun,
        sources: BackupSources.normalized(options.sources).map { $0.isEmpty ? "/" : $0 },
        destination: options.dryRun ? "nothing written" : options.output))
    if options.dryRun {
      return Outcome(summary: try await tracker.run { try await plan(sources, failures: failures) }, archive: nil)
    }
    let header = ManifestHeader(
      tool: .init(name: "cellar", version: CellarVersion.current),
      server: .init(url: connection.rest.baseURL, version: (try? await connection.rest.serverVersion()) ?? ""),
      context: options.context.rawValue, sources: BackupSources.normalized(options.sources),
      startedAt: Self.iso8601(startedAt), base: base?.record, shard: options.shard, shardSet: options.shardSet)
    if base == nil, options.shard == nil, let expected = await expectedBytes() {
      tracker.update { $0.bytesExpected = expected }
    }
    let output = try ArchiveOutput(options: options, header: header)
    do {
      return try await tracker.run {
        let pipeline = BackupPipeline(
          options: options, connection: connection, tracker: tracker, failures: failures, output: output, base: base)
        let namespaces = try await pipeline.run(sources)
        let deleted = try base.map(deletions)
        var summary = counts()
        summary.errors = failures.count
        if base != nil {
          summary.unchanged = tracker.snapshot.unchanged
          summary.deleted = deleted?.count
        }
        let trailer = ManifestTrailer(
          finishedAt: Self.iso8601(Date()), summary: summary, namespaces: namespaces, errors: failures.records,
          deleted: deleted)
        let archive = try await output.finish(trailer)
        tracker.update { $0.listingDone = true }
        tracker.report(.summary(tracker.snapshot, output: options.output == "-" ? nil : options.output))
        return Outcome(summary: summary, archive: archive)
      }
    } catch {
      await output.discard()
      throw error
    }
  }

  /// The bytes the server says a full backup will download: the sources' cumulated sizes (a
  /// user-context backup without filters; nil when the server does not tell).
  private func expectedBytes() async -> Int64? {
    guard options.context == .user, options.include.isEmpty, options.exclude.isEmpty, !options.versions else {
      return nil
    }
    var total: Int64 = 0
    for source in BackupSources.normalized(options.sources) {
      guard !source.isEmpty, let node = try? await connection.rest.stat(source), node.size > 0 else { return nil }
      total += node.size
    }
    return total
  }

  private func validate() throws {
    guard !options.sources.isEmpty else { throw CellarError.usage("give at least one source path") }
    if options.output != "-", OutputClaim.standardized(options.output) == OutputClaim.standardized(options.sidecarPath)
    {
      throw CellarError.usage("--sidecar \(options.sidecarPath) is the archive's own name: give another sidecar")
    }
    if options.output != "-", try (S3ObjectURL(options.output) == nil) != (S3ObjectURL(options.sidecarPath) == nil) {
      throw CellarError.usage(
        "--sidecar \(options.sidecarPath) and --output \(options.output): both local, or both s3:// objects")
    }
    if let url = try S3ObjectURL(options.output), url.name.isEmpty || url.key.contains("//") {
      throw CellarError.usage("--output \(options.output) names a folder: give the archive's name after the last /")
    }
    let name = (options.output as NSString).lastPathComponent.lowercased()
    if options.output != "-", name.hasSuffix(".meta.json") || name == ".cellar.lock" {
      throw CellarError.usage(
        "--output \(options.output): that name is a sidecar's or the lock's; give the archive another name")
    }
    if options.output == "-" && options.sidecar == nil {
      throw CellarError.usage("--output - writes the archive to standard output: give --sidecar FILE for the manifest")
    }
    guard options.jobs >= 1 else { throw CellarError.usage("--jobs must be at least 1") }
    _ = try PathFilter(include: options.include, exclude: options.exclude)
  }

  /// The base of an incremental backup (`--since`).
  ///
  /// A sidecar, or the newest backup of the same sources in a directory (none there yet: a
  /// full backup, said so); its context and sources must be this backup's.
  private func loadBase() async throws -> BackupBase? {
    guard let since = options.since else { return nil }
    let sources = BackupSources.normalized(options.sources)
    let found = try S3ObjectURL(since) == nil ? try await localBase(since) : try await remoteBase(since)
    guard let found else { return nil }
    // Reading the base (the whole sidecar: I/O, decryption and parsing) takes a thread of its
    // own, not one of the cooperative pool's.
    let base = try await OwnThread.run {
      try BackupBase(sidecar: found.path, name: found.name, scratch: found.scratch)
    }
    guard base.header.covers(context: options.context.rawValue, sources: sources, shard: options.shard) else {
      throw CellarError.usage(
        "--since \(found.name) is a backup of \(base.header.sources.joined(separator: " ")) "
          + "(\(base.header.context) context" + (base.header.shard.map { ", shard \($0)" } ?? "") + "): "
          + "an incremental backup needs the same sources, context and shard")
    }
    guard try await Self.archiveIsThere(name: base.record.name, at: base.archive) else {
      throw CellarError.usage(
        "--since \(found.name): its archive \(base.archive) is missing; an incremental backup relative to it could "
          + "not be restored")
    }
    tracker.report(
      .warning(path: nil, message: "incremental backup since \(base.record.name) (\(base.record.startedAt))"))
    return base
  }

  /// A base's sidecar: where to read it, its name, and the downloaded copy to keep meanwhile.
  private typealias BaseSidecar = (path: String, name: String, scratch: TemporaryFile?)

  /// The sidecar `--since` names locally: a sidecar, an archive beside its sidecar, or the
  /// newest backup of the same sources in a directory (nil when there is none yet).
  private func localBase(_ since: String) async throws -> BaseSidecar? {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: since, isDirectory: &isDirectory), isDirectory.boolValue {
      // An archive whose run was killed between its two renames is still a base.
      await InterruptedPair.completeAll(in: since, tracker: tracker)
      let catalog = try await OwnThread.run { try ArchiveCatalog.scan(since) }
      return try await latest(in: catalog, at: since).map { ($0.sidecar, $0.sidecar, nil) }
    }
    if !since.hasSuffix(".meta.json"), FileManager.default.fileExists(atPath: since + ".meta.json") {
      return (since + ".meta.json", since + ".meta.json", nil)  // the archive, named instead of its sidecar
    }
    let start = FileHandle(forReadingAtPath: since).flatMap { try? $0.read(upToCount: AgeFormat.magic.count) }
    if let start, start.first != UInt8(ascii: "{"), !AgeFormat.isAge(Array(start)) {
      throw CellarError.usage(
        "--since \(since) is not a sidecar, and \(since).meta.json is not there: give the base's sidecar "
          + "(NAME.meta.json) or the folder of its backups")
    }
    return (since, since, nil)
  }

  /// The sidecar `--since s3://…` names: a prefix ending in `/` (its newest backup of the same
  /// sources), a sidecar object, or an archive object beside its sidecar; downloaded.
  private func remoteBase(_ since: String) async throws -> BaseSidecar? {
    guard let url = try S3ObjectURL(since), let s3 = options.s3 else {
      throw CellarError.usage("--since \(since): S3 bases need S3 settings")
    }
    var sidecar = url
    if since.hasSuffix("/") {
      let catalog = try await ArchiveCatalog.scan(url, settings: s3)
      guard let latest = try await latest(in: catalog, at: since), let found = try S3ObjectURL(latest.sidecar) else {
        return nil
      }
      sidecar = found
    } else if !url.key.hasSuffix(".meta.json") {
      sidecar = url.sibling(url.key + ".meta.json")
    }
    guard let copy = try await RemoteDownload.fetch(sidecar, settings: s3, prefix: "cellar-base") else {
      throw CellarError.usage("--since \(since): no sidecar \(sidecar)")
    }
    return (copy.path, sidecar.description, copy)
  }

  /// The newest backup of this run's sources in `catalog` whose archive is still there; nil
  /// (said so) when there is none.
  ///
  /// A sidecar whose archive was removed is no base: an incremental relative to it could not be
  /// restored.
  private func latest(in catalog: ArchiveCatalog, at since: String) async throws -> ArchiveCatalog.Entry? {
    let sources = BackupSources.normalized(options.sources)
    for entry in catalog.backups(context: options.context.rawValue, sources: sources, shard: options.shard).reversed() {
      if try await Self.archiveIsThere(name: entry.record.name, at: entry.archive) { return entry }
      tracker.report(
        .warning(path: entry.sidecar, message: "its archive \(entry.archive) is missing: not taken as the base"))
    }
    // The first night of a schedule: a full backup is what an incremental would need anyway.
    let unreadable = catalog.unreadable.map { "\($0.path): \($0.reason)" }
    tracker.report(
      .warning(
        path: since,
        message: "no backup of \(sources.map { $0.isEmpty ? "/" : $0 }.joined(separator: " ")) here yet: "
          + "taking a full backup"
          + (unreadable.isEmpty ? "" : "; sidecars that could not be read: " + unreadable.joined(separator: "; "))))
    return nil
  }

  /// Whether a base's archive, recorded as `name`, is at `archive`; one written to standard
  /// output ("-") is kept elsewhere, and taken on trust.
  private static func archiveIsThere(name: String, at archive: String) async throws -> Bool {
    name == "-" ? true : try await ArchiveLocation.exists(archive)
  }

  /// The base's nodes the walk did not meet again, each reported.
  private func deletions(_ base: BackupBase) throws -> [ManifestTrailer.Deleted] {
    var deleted: [ManifestTrailer.Deleted] = []
    try base.unseen { node in
      deleted.append(.init(path: node.path, uuid: node.uuid, type: node.type))
      tracker.report(.node(NodeEvent(path: node.path, kind: NodeKind(isFolder: node.isFolder), action: .deleted)))
    }
    return deleted
  }

  /// `--dry-run`: the walk alone, each node reported as it would be archived.
  private func plan(_ sources: BackupSources, failures: FailureLog) async throws -> ManifestTrailer.Summary {
    try await sources.walk { item in
      let node = item.node
      if node.isFolder {
        tracker.update { $0.folders += 1 }
      } else if item.key == nil {
        failures.add(node.path, BackupPipeline.unmappedMessage)
        return
      } else {
        tracker.update {
          $0.files += 1
          $0.bytes += node.size
        }
      }
      tracker.report(
        .node(
          NodeEvent(path: node.path, kind: NodeKind(isFolder: node.isFolder), size: node.size, action: .wouldArchive)))
    }
    tracker.update { $0.listingDone = true }
    var summary = counts()
    summary.errors = failures.count
    tracker.report(.summary(tracker.snapshot, output: nil))
    return summary
  }

  private func counts() -> ManifestTrailer.Summary {
    let snapshot = tracker.snapshot
    return .init(folders: snapshot.folders, files: snapshot.files, bytes: snapshot.bytes, skipped: snapshot.skipped)
  }

  static func iso8601(_ date: Date) -> String {
    ISO8601DateFormatter().string(from: date)
  }
}

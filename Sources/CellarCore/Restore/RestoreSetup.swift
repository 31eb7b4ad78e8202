// CellarCore: everything a restore settles before it writes: the manifest, the archive's first
// pass, where nodes go, and which metadata namespaces the server has.
import CellsKit
import Foundation

/// A restore ready to run: checked archive, manifest (if any), target mapping, namespaces.
struct RestoreSetup: Sendable {
  let options: RestoreOptions
  let connection: CellsConnection
  /// The manifest to follow, or nil for a plain archive.
  let manifest: ManifestSource?
  let mapper: TargetMapper
  /// The namespaces the server lets restore write.
  let writableNamespaces: Set<String>
  /// The manifest's header, when there is a manifest.
  var header: ManifestHeader? = nil
  /// The archive's SHA-256 when the sidecar's record was checked against it.
  var archiveSHA256: String? = nil
  /// In a chain, the part of the (last archive's) manifest this archive serves.
  var part: ManifestIndex.Part? = nil
  /// The members to read from their offsets, when not the whole archive.
  var seekPlan: ArchiveCursor.SeekPlan? = nil
  /// Where the archive is read: `options.archive`, or the local copy of an S3 archive read whole.
  var archivePath: String
  /// Scratch files (the archive's own manifest copied out, an S3 sidecar or archive fetched),
  /// closed, and so gone, by `discard()`.
  var temporaryFiles: [TemporaryFile] = []

  /// Finds the manifest, reads the whole archive once, and checks archive, manifest and server
  /// against each other; throws before anything is written.
  ///
  /// A restore `--only` of an archive whose sidecar records where each member starts reads
  /// neither the whole archive nor its checksum: it will read only the selected members, each
  /// checked against the manifest's SHA-256 before it is uploaded (`seekPlan`); from S3, by
  /// ranged reads. An S3 archive restored otherwise is fetched into a temporary file first (it is
  /// read three times). The archives of a chain (`inChain`) are read whole: each one's checksum
  /// links it to the next.
  static func prepare(
    _ options: RestoreOptions, connection: CellsConnection, tracker: ProgressTracker, announce: Bool = true,
    inChain: Bool = false
  ) async throws -> RestoreSetup {
    let archive = options.archive
    let remote = try S3ObjectURL(archive)
    if remote == nil {
      guard FileManager.default.isReadableFile(atPath: archive) else {
        throw CellarError.usage("cannot read the archive \(archive)")
      }
      if options.sidecar == nil { await InterruptedPair.complete(archive: archive, tracker: tracker) }
    } else if inChain {
      throw CellarError.usage("\(archive): an S3 archive is restored on its own, not in a chain")
    }
    var temporary: [TemporaryFile] = []
    do {
      var sidecar = try ManifestSource.sidecar(for: archive, given: options.sidecar)
      if remote != nil, sidecar == nil,
        let fetched = try await ArchiveLocation.fetchSidecar(of: archive, s3: options.s3)
      {
        temporary.append(fetched)
        sidecar = fetched.path
      }
      if announce {
        tracker.report(
          .start(
            operation: .restore, dryRun: options.dryRun, sources: options.earlier + [archive],
            destination: options.destination ?? "the original paths"))
      }
      if !options.only.isEmpty, !inChain {
        // Without a sidecar, the archive's own index, when it has one.
        var manifest = sidecar.map(ManifestSource.sidecar)
        var record: ManifestTrailer.Archive?
        if manifest == nil, let tail = try await ArchiveCursor(path: archive).tail(s3: options.s3) {
          temporary.append(tail.manifest)
          manifest = .copy(path: tail.manifest.path, archive: archive)
          record = tail.record
        }
        if let manifest,
          var setup = try await seeking(
            options, manifest: manifest, record: record, connection: connection, tracker: tracker)
        {
          setup.temporaryFiles = temporary
          return setup
        }
      }
      var path = archive
      if let remote, let s3 = options.s3 {
        guard let copy = try await RemoteDownload.fetch(remote, settings: s3, prefix: "cellar-archive") else {
          throw CellarError.failed("\(archive): no such object")
        }
        temporary.append(copy)
        path = copy.path
      }
      var setup = try await readingWhole(
        options, path: path, sidecar: sidecar, connection: connection, tracker: tracker, temporary: &temporary)
      setup.temporaryFiles = temporary
      return setup
    } catch {
      for file in temporary { file.close() }
      throw error
    }
  }

  /// The restore of the archive read whole from the local file `path`.
  ///
  /// The archive is scanned first (a damaged or hostile archive is refused before anything is
  /// written), checked against its sidecar's checksum, then read again by the pass. The manifest
  /// copied out of the archive joins `temporary`.
  private static func readingWhole(
    _ options: RestoreOptions, path: String, sidecar: String?, connection: CellsConnection,
    tracker: ProgressTracker, temporary: inout [TemporaryFile]
  ) async throws -> RestoreSetup {
    let archive = options.archive
    let copy = sidecar == nil ? try TemporaryFile() : nil
    let scan: ArchiveScan
    do {
      scan = try await ArchiveScan.run(archive: path, copyingManifestTo: copy?.handle)
    } catch {
      copy?.close()
      throw error
    }
    tracker.update {
      $0.filesSeen = scan.files
      $0.bytesSeen = scan.bytes
      $0.listingDone = true
    }
    if let copy {
      if scan.copiedManifest { temporary.append(copy) } else { copy.close() }
    }
    let manifest: ManifestSource? =
      if let sidecar { .sidecar(sidecar) } else if let copy, scan.copiedManifest {
        .copy(path: copy.path, archive: archive)
      } else { nil }
    guard let manifest else {
      tracker.report(
        .warning(
          path: nil,
          message: "\(archive) has no manifest and no sidecar: restoring its files and folders only, "
            + "without metadata"))
      let mapper = try TargetMapper(roots: [""], destination: options.destination, only: options.only)
      return RestoreSetup(
        options: options, connection: connection, manifest: nil, mapper: mapper, writableNamespaces: [],
        archivePath: path)
    }
    let survey = try await ManifestIndex(source: manifest).survey(members: scan.members)
    try check(survey, archive: archive)
    if !survey.unexplained.isEmpty {
      let member = try await ArchiveScan.firstMember(of: path, in: survey.unexplained) ?? "?"
      throw RestoreError.unexplainedMember(archive: archive, path: member)
    }
    var checksum: String?
    if sidecar != nil, let expected = survey.trailer.archive?.sha256 {
      let actual = try await ArchiveCursor(path: path).archiveChecksum()
      guard actual == expected else {
        throw RestoreError.checksumMismatch(archive: archive, expected: expected, actual: actual)
      }
      checksum = actual
    }
    var setup = try await following(
      survey, manifest: manifest, path: path,
      mapper: try await mapper(for: survey, options: options, connection: connection),
      options: options, connection: connection, tracker: tracker)
    setup.archiveSHA256 = checksum
    return setup
  }

  /// The restore `--only` of an archive whose members can be read from their offsets, or nil
  /// when it cannot be (an older cellar's sidecar, a sidecar that describes another file).
  ///
  /// `record` stands for the sidecar's archive record when the manifest is the archive's own.
  private static func seeking(
    _ options: RestoreOptions, manifest: ManifestSource, record: ManifestTrailer.Archive?,
    connection: CellsConnection, tracker: ProgressTracker
  ) async throws -> RestoreSetup? {
    let index = ManifestIndex(source: manifest)
    let survey = try await index.survey(members: [])
    guard let record = record ?? survey.trailer.archive,
      MemberSeeker.canSeek(record, size: try await ArchiveLocation.size(of: options.archive, s3: options.s3))
    else {
      return nil
    }
    try check(survey, archive: options.archive)
    // Decided before anything is asked of the server beyond the workspace mapping.
    let mapper = try await mapper(for: survey, options: options, connection: connection)
    guard let targets = try await index.seekTargets(keeping: { !mapper.excludes($0.path) }) else {
      return nil
    }
    var setup = try await following(
      survey, manifest: manifest, path: options.archive, mapper: mapper, options: options, connection: connection,
      tracker: tracker)
    tracker.update {
      $0.filesSeen = targets.count { !$0.isFolder }
      $0.bytesSeen = targets.reduce(0) { $0 + $1.size }
      $0.listingDone = true
    }
    setup.seekPlan = ArchiveCursor.SeekPlan(archive: record, targets: targets, s3: options.s3)
    return setup
  }

  /// Refuses a manifest that names an unsafe path or a node outside its sources.
  private static func check(_ survey: ManifestIndex.Survey, archive: String) throws {
    if let unsafe = survey.unsafe {
      throw RestoreError.refusedArchive(
        archive: archive, reason: "its manifest names \"\(unsafe.path)\": \(unsafe.reason)")
    }
    if let outside = survey.outsideSources { throw RestoreError.outsideSource(archive: archive, path: outside) }
  }

  /// Where the surveyed manifest's nodes go (an admin archive restored in place goes through the
  /// server's workspace mapping).
  private static func mapper(
    for survey: ManifestIndex.Survey, options: RestoreOptions, connection: CellsConnection
  ) async throws -> TargetMapper {
    var workspaces: WorkspaceMapping?
    if survey.header.context == "admin", options.destination == nil {
      workspaces = try await connection.rest.workspaceMapping()
    }
    return try TargetMapper(
      roots: survey.header.sources, destination: options.destination, only: options.only, workspaces: workspaces)
  }

  /// A restore that follows the surveyed `manifest` with `mapper`, and the metadata namespaces
  /// the server lets it write (creating missing ones when it may).
  private static func following(
    _ survey: ManifestIndex.Survey, manifest: ManifestSource, path: String, mapper: TargetMapper,
    options: RestoreOptions, connection: CellsConnection, tracker: ProgressTracker
  ) async throws -> RestoreSetup {
    let writable =
      options.restoresMetadata
      ? try await namespaces(survey, connection: connection, tracker: tracker, dryRun: options.dryRun) : []
    return RestoreSetup(
      options: options, connection: connection, manifest: manifest, mapper: mapper, writableNamespaces: writable,
      header: survey.header, archivePath: path)
  }

  /// Removes the temporary files.
  func discard() {
    for file in temporaryFiles { file.close() }
  }

  /// The namespaces restore may write: those the server has, plus the missing ones it could
  /// create from the manifest's definitions (admins only; others get each value reported).
  private static func namespaces(
    _ survey: ManifestIndex.Survey, connection: CellsConnection, tracker: ProgressTracker, dryRun: Bool
  ) async throws -> Set<String> {
    let used = survey.namespaces.subtracting(["bookmark"])
    guard !used.isEmpty else { return [] }
    var writable = Set(try await connection.rest.userMetaNamespaces().map(\.namespace))
    let missing = used.subtracting(writable)
    guard !missing.isEmpty else { return writable }
    let names = missing.sorted().joined(separator: ", ")
    let definitions = survey.trailer.namespaces.filter { missing.contains($0.namespace) }
    if dryRun {
      tracker.report(
        .warning(
          path: nil, message: "metadata namespaces missing on the server: \(names) (an admin's restore creates them)"))
      return writable.union(definitions.map(\.namespace))
    }
    guard !definitions.isEmpty else { return writable }
    do {
      try await connection.rest.defineUserMetaNamespaces(definitions)
      writable.formUnion(definitions.map(\.namespace))
      tracker.report(.warning(path: nil, message: "created the metadata namespaces \(names) from the manifest"))
    } catch CellsAPIError.forbidden {
      tracker.report(
        .warning(
          path: nil,
          message: "metadata namespaces missing on the server: \(names); only an admin can create them, "
            + "so their values are not restored"))
    }
    return writable
  }
}

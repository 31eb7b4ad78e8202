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
  /// The copy of the archive's own manifest, closed (and so gone) by `discard()`.
  let temporaryManifest: TemporaryManifestCopy?
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

  /// Finds the manifest, reads the whole archive once, and checks archive, manifest and server
  /// against each other; throws before anything is written.
  ///
  /// A restore `--only` of an archive whose sidecar records where each member starts reads
  /// neither the whole archive nor its checksum: it will read only the selected members, each
  /// checked against the manifest's SHA-256 before it is uploaded (`seekPlan`). The archives of
  /// a chain (`inChain`) are read whole: each one's checksum links it to the next.
  static func prepare(
    _ options: RestoreOptions, connection: CellsConnection, tracker: ProgressTracker, announce: Bool = true,
    inChain: Bool = false
  ) async throws -> RestoreSetup {
    let archive = options.archive
    guard FileManager.default.isReadableFile(atPath: archive) else {
      throw CellarError.usage("cannot read the archive \(archive)")
    }
    if options.sidecar == nil { await InterruptedPair.complete(archive: archive, tracker: tracker) }
    let sidecar = try ManifestSource.sidecar(for: archive, given: options.sidecar)
    if announce {
      tracker.report(
        .start(
          operation: .restore, dryRun: options.dryRun, sources: options.earlier + [archive],
          destination: options.destination ?? "the original paths"))
    }
    if let sidecar, !options.only.isEmpty, !inChain,
      let setup = try await seeking(options, sidecar: sidecar, connection: connection, tracker: tracker)
    {
      return setup
    }

    let copy = sidecar == nil ? try TemporaryManifestCopy() : nil
    let scan: ArchiveScan
    do {
      scan = try await ArchiveScan.run(archive: archive, copyingManifestTo: copy?.handle)
    } catch {
      copy?.close()
      throw error
    }
    tracker.update {
      $0.filesSeen = scan.files
      $0.bytesSeen = scan.bytes
      $0.listingDone = true
    }
    let kept = scan.copiedManifest ? copy : nil
    if !scan.copiedManifest { copy?.close() }
    let manifest: ManifestSource? =
      if let sidecar { .sidecar(sidecar) } else { kept.map { .copy(path: $0.path, archive: archive) } }
    do {
      guard let manifest else {
        tracker.report(
          .warning(
            path: nil,
            message: "\(archive) has no manifest and no sidecar: restoring its files and folders only, "
              + "without metadata"))
        let mapper = try TargetMapper(roots: [""], destination: options.destination, only: options.only)
        return RestoreSetup(
          options: options, connection: connection, manifest: nil, temporaryManifest: kept, mapper: mapper,
          writableNamespaces: [])
      }
      let survey = try await ManifestIndex(source: manifest).survey(members: scan.members)
      try check(survey, archive: archive)
      if !survey.unexplained.isEmpty {
        let path = try await ArchiveScan.firstMember(of: archive, in: survey.unexplained) ?? "?"
        throw RestoreError.unexplainedMember(archive: archive, path: path)
      }
      var checksum: String?
      if sidecar != nil, let expected = survey.trailer.archive?.sha256 {
        let actual = try await ArchiveCursor(path: archive).archiveChecksum()
        guard actual == expected else {
          throw RestoreError.checksumMismatch(archive: archive, expected: expected, actual: actual)
        }
        checksum = actual
      }
      var setup = try await following(
        survey, manifest: manifest, copy: kept, options: options, connection: connection, tracker: tracker)
      setup.archiveSHA256 = checksum
      return setup
    } catch {
      kept?.close()
      throw error
    }
  }

  /// The restore `--only` of an archive whose members can be read from their offsets, or nil
  /// when it cannot be (tar.xz, an older cellar's sidecar, a sidecar that describes another file).
  private static func seeking(
    _ options: RestoreOptions, sidecar: String, connection: CellsConnection, tracker: ProgressTracker
  ) async throws -> RestoreSetup? {
    let manifest = ManifestSource.sidecar(sidecar)
    let index = ManifestIndex(source: manifest)
    let survey = try await index.survey(members: [])
    guard let record = survey.trailer.archive, try MemberSeeker(path: options.archive, archive: record) != nil else {
      return nil
    }
    try check(survey, archive: options.archive)
    var setup = try await following(
      survey, manifest: manifest, copy: nil, options: options, connection: connection, tracker: tracker)
    let mapper = setup.mapper
    guard let targets = try await index.seekTargets(keeping: { !mapper.excludes($0.path) }) else {
      return nil
    }
    tracker.update {
      $0.filesSeen = targets.count { !$0.isFolder }
      $0.bytesSeen = targets.reduce(0) { $0 + $1.size }
      $0.listingDone = true
    }
    setup.seekPlan = ArchiveCursor.SeekPlan(archive: record, targets: targets)
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

  /// A restore that follows the surveyed `manifest`: where its nodes go, and which of their
  /// metadata namespaces the server lets it write.
  private static func following(
    _ survey: ManifestIndex.Survey, manifest: ManifestSource, copy: TemporaryManifestCopy?, options: RestoreOptions,
    connection: CellsConnection, tracker: ProgressTracker
  ) async throws -> RestoreSetup {
    var workspaces: WorkspaceMapping?
    if survey.header.context == "admin", options.destination == nil {
      workspaces = try await connection.rest.workspaceMapping()
    }
    let writable =
      options.restoresMetadata
      ? try await namespaces(survey, connection: connection, tracker: tracker, dryRun: options.dryRun) : []
    let mapper = try TargetMapper(
      roots: survey.header.sources, destination: options.destination, only: options.only, workspaces: workspaces)
    return RestoreSetup(
      options: options, connection: connection, manifest: manifest, temporaryManifest: copy, mapper: mapper,
      writableNamespaces: writable, header: survey.header)
  }

  /// Removes the temporary copy of the manifest.
  func discard() {
    temporaryManifest?.close()
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

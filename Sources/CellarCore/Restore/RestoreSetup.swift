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

  /// Finds the manifest, reads the whole archive once, and checks archive, manifest and server
  /// against each other; throws before anything is written.
  static func prepare(
    _ options: RestoreOptions, connection: CellsConnection, tracker: ProgressTracker, announce: Bool = true
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
      var roots = [""]
      var workspaces: WorkspaceMapping?
      var writable: Set<String> = []
      var header: ManifestHeader?
      var checksum: String?
      if let manifest {
        let survey = try await ManifestIndex(source: manifest).survey(members: scan.members)
        if let unsafe = survey.unsafe {
          throw RestoreError.refusedArchive(
            archive: archive, reason: "its manifest names \"\(unsafe.path)\": \(unsafe.reason)")
        }
        if let outside = survey.outsideSources { throw RestoreError.outsideSource(archive: archive, path: outside) }
        if !survey.unexplained.isEmpty {
          let path = try await ArchiveScan.firstMember(of: archive, in: survey.unexplained) ?? "?"
          throw RestoreError.unexplainedMember(archive: archive, path: path)
        }
        if sidecar != nil, let expected = survey.trailer.archive?.sha256 {
          let actual = try await ArchiveCursor(path: archive).archiveChecksum()
          guard actual == expected else {
            throw RestoreError.checksumMismatch(archive: archive, expected: expected, actual: actual)
          }
          checksum = actual
        }
        header = survey.header
        roots = survey.header.sources
        if survey.header.context == "admin", options.destination == nil {
          workspaces = try await connection.rest.workspaceMapping()
        }
        if options.restoresMetadata {
          writable = try await namespaces(survey, connection: connection, tracker: tracker, dryRun: options.dryRun)
        }
      } else {
        tracker.report(
          .warning(
            path: nil,
            message: "\(archive) has no manifest and no sidecar: restoring its files and folders only, "
              + "without metadata"))
      }
      let mapper = try TargetMapper(
        roots: roots, destination: options.destination, only: options.only, workspaces: workspaces)
      return RestoreSetup(
        options: options, connection: connection, manifest: manifest, temporaryManifest: kept,
        mapper: mapper, writableNamespaces: writable, header: header, archiveSHA256: checksum)
    } catch {
      kept?.close()
      throw error
    }
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

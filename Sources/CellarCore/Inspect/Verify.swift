// CellarCore: `cellar verify`: an archive checked against its sidecar and its own manifest, and
// with --remote the manifest against the live server (docs/architecture.md, "Verify").
import ArchiveKit
import CellsKit
import Foundation

/// Verifies an archive written by `cellar backup`.
///
/// ```
/// sidecar read through (damaged?) → archive SHA-256 and size against the sidecar's record
///   → ArchiveVerification: every member read once, hashed, matched with the manifest
///   → (--remote) RemoteComparison: the manifest's sources walked on the server
/// ```
///
/// Given a chain (`FULL INC1 INC2`, or `INC2 --chain`), `ChainVerification` checks each archive
/// so, its links, and the bytes the last state takes from the earlier archives.
///
/// Each problem is reported as an `error` event named by what is damaged (`VerifyProblem.Kind`).
public enum Verify {
  /// Runs the checks `options` ask for and returns how they ended.
  ///
  /// `.partial` when an archive, sidecar, manifest or chain is damaged; `.serverChanged` when
  /// they are sound and only the server differs (`--remote`). Each problem is reported on
  /// `tracker`. `connect` opens the server connection `--remote` needs. A sidecar given as
  /// the archive (`verify NAME.meta.json`) checks the archive beside it.
  public static func run(
    _ options: VerifyOptions, tracker: ProgressTracker,
    connect: @Sendable () async throws -> CellsConnection
  ) async throws -> ExitStatus {
    var options = options
    if options.sidecar == nil, options.archive.hasSuffix(Self.sidecarSuffix) {
      options.sidecar = options.archive
      options.archive = String(options.archive.dropLast(Self.sidecarSuffix.count))
      let present = try await ArchiveLocation.exists(options.archive)
      guard options.remote || present else {
        throw CellarError.usage(
          "cannot read the archive \(options.archive) beside its sidecar; give the archive, or --remote to "
            + "compare the sidecar with the server")
      }
    }
    let chain = try RestoreChain.archives(
      ending: options.archive, earlier: options.earlier, followChain: options.followChain)
    let archive = options.archive
    if options.sidecar == nil, try S3ObjectURL(archive) == nil {
      await InterruptedPair.complete(archive: archive, tracker: tracker)
    }
    let sidecar = try await ArchiveLocation.sidecar(for: archive, given: options.sidecar)
    let archivePresent = try await ArchiveLocation.exists(archive)
    guard archivePresent || (options.remote && sidecar != nil && chain.count == 1) else {
      throw CellarError.usage("cannot read the archive \(archive)")
    }
    for earlier in chain.dropLast() where !(try await ArchiveLocation.exists(earlier)) {
      throw CellarError.usage("cannot read the archive \(earlier)")
    }
    tracker.report(
      .start(
        operation: .verify, sources: chain,
        destination: options.remote ? "its manifest and the server" : "its manifest"))
    try await tracker.run {
      var reference: ManifestSource? = nil
      var survey: ManifestIndex.Survey? = nil
      if chain.count > 1 {
        (reference, survey) = try await ChainVerification.run(chain, sidecar: sidecar, tracker: tracker)
      } else {
        (reference, survey) = try await surveySidecar(sidecar, tracker: tracker)
        if archivePresent {
          _ = try await checkArchive(archive, sidecar: sidecar, survey: survey, tracker: tracker)
        } else {
          tracker.report(
            .warning(path: archive, message: "the archive is not here: only its sidecar is compared with the server"))
        }
      }
      tracker.update { $0.listingDone = true }
      guard options.remote else { return }
      let manifest = reference ?? .member(archive: archive)
      let header: ManifestHeader
      do {
        if let survey {
          header = survey.header
        } else {
          header = try await ManifestIndex(source: manifest).survey(members: []).header
        }
      } catch let error as ManifestError {
        tracker.fail(VerifyProblem(.manifest, manifest.name, "\(error); cannot compare with the server"))
        return
      }
      try await RemoteComparison(header: header, manifest: manifest, connection: connect(), tracker: tracker).run()
    }
    let counts = tracker.snapshot
    tracker.report(.summary(counts, output: nil))
    if counts.errors > counts.serverChanges { return .partial }
    return counts.serverChanges > 0 ? .serverChanged : .success
  }

  private static let sidecarSuffix = ".meta.json"

  /// The sidecar read through: it is the reference when usable (else nil, reported).
  static func surveySidecar(
    _ sidecar: String?, tracker: ProgressTracker
  ) async throws -> (reference: ManifestSource?, survey: ManifestIndex.Survey?) {
    guard let sidecar else { return (nil, nil) }
    do {
      let survey = try await ManifestIndex(source: .sidecar(sidecar)).survey(members: [])
      if let misplaced = survey.outsideShard, let shard = survey.header.shard {
        tracker.fail(VerifyProblem(.manifest, misplaced, "it is not in shard \(shard): its folder belongs to another"))
      }
      return (.sidecar(sidecar), survey)
    } catch let error as ManifestError {
      tracker.fail(VerifyProblem(.sidecar, sidecar, "\(error); the archive's own manifest is used instead"))
      return (nil, nil)
    }
  }

  /// The archive against the sidecar's record (`survey`'s trailer; nil: no usable sidecar),
  /// then member by member against the manifest, and against the chain's `references` when
  /// it is an earlier archive of a chain; returns the archive's SHA-256 when it was computed.
  static func checkArchive(
    _ archive: String, sidecar given: String?, survey: ManifestIndex.Survey?,
    references: StoredReferences? = nil, tracker: ProgressTracker
  ) async throws -> String? {
    let sidecar = survey == nil ? nil : given
    let recorded = survey?.trailer.archive
    var checksum: (actual: String, recorded: String)?
    var computed: String?
    if let sidecar, recorded == nil {
      tracker.fail(VerifyProblem(.sidecar, sidecar, "it has no archive record (size and SHA-256) to check"))
    }
    if let recorded {
      let actual: String
      do {
        actual = try await ArchiveCursor(path: archive).archiveChecksum()
      } catch ArchiveError.source(let message) {
        // An encrypted archive whose chunk fails authentication: damaged, like a wrong checksum.
        let named = archive + ": "
        tracker.fail(
          VerifyProblem(.archive, archive, message.hasPrefix(named) ? String(message.dropFirst(named.count)) : message))
        return nil
      }
      computed = actual
      let size = try? await ArchiveLocation.size(of: archive, s3: nil)
      if let size, size != recorded.bytes {
        tracker.fail(VerifyProblem(.archive, archive, "it is \(size) bytes, the sidecar records \(recorded.bytes)"))
      }
      if actual != recorded.sha256 { checksum = (actual, recorded.sha256) }
    }
    var pass = ArchiveVerification(
      archive: archive, manifest: sidecar.map(ManifestSource.sidecar) ?? .member(archive: archive), sidecar: sidecar,
      sidecarTrusted: recorded != nil && checksum == nil, tracker: tracker)
    pass.references = references
    try await pass.run()
    guard let checksum else { return computed }
    // Reported last: when everything else agrees, the sidecar's record is the odd one out.
    if pass.foundProblems {
      tracker.fail(
        VerifyProblem(.archive, archive, "its SHA-256 is \(checksum.actual), the sidecar records \(checksum.recorded)"))
    } else {
      tracker.fail(
        VerifyProblem(
          .sidecar, sidecar ?? archive,
          "it records the SHA-256 \(checksum.recorded), the archive's is \(checksum.actual), yet every member and the "
            + "manifest agree with it: its archive record was changed (or the archive's framing)"))
    }
    return computed
  }
}

// CellarCore: `cellar verify FULL INC1 INC2` (or `INC2 --chain`): every archive of a chain
// verified as one alone, each link checked by SHA-256, and every file the last state takes from
// an earlier archive found there with its recorded bytes.
import Foundation

/// Verifies an incremental chain, oldest archive first.
///
/// ```
/// headers of every archive → the earlier archives the last manifest takes bytes from (by SHA-256)
///   → each archive: Verify.checkArchive (members against its own manifest, and for an earlier
///     one the last state's StoredReferences to it, in the same read), then its link
/// ```
///
/// Each earlier archive is read once; the last manifest is read once for the archives it refers
/// to, then twice for each earlier archive it takes bytes from (the members' keys, then the
/// nodes as the members go by). Problems of the chain are reported as `chain`.
enum ChainVerification {
  /// Checks `chain` (oldest first), reporting each problem on `tracker`.
  ///
  /// `sidecar` is the last archive's. Returns the last archive's usable sidecar and its
  /// survey, for `--remote`.
  static func run(
    _ chain: [String], sidecar: String?, tracker: ProgressTracker
  ) async throws -> (reference: ManifestSource?, survey: ManifestIndex.Survey?) {
    let headers = chain.map { archive -> ManifestHeader? in
      do {
        return try RestoreChain.header(of: archive)
      } catch {
        tracker.fail(VerifyProblem(.chain, archive, "its manifest's header cannot be read (\(error)): no link checked"))
        return nil
      }
    }
    let last = chain.count - 1
    let lastManifest: ManifestSource = sidecar.map(ManifestSource.sidecar) ?? .member(archive: chain[last])
    var referred = await referredArchives(lastManifest, tracker: tracker)
    var result: (reference: ManifestSource?, survey: ManifestIndex.Survey?) = (nil, nil)
    var checksums: [String] = []
    for (index, archive) in chain.enumerated() {
      var references: StoredReferences?
      if index < last, let sha256 = headers[index + 1]?.base?.sha256, referred.removeValue(forKey: sha256) != nil {
        references = try await StoredReferences.load(manifest: lastManifest, sha256: sha256)
      }
      let own = index == last ? sidecar : try ManifestSource.sidecar(for: archive, given: nil)
      let (reference, survey) = try await Verify.surveySidecar(own, tracker: tracker)
      if index == last { result = (reference, survey) }
      var checksum = try await Verify.checkArchive(
        archive, sidecar: own, survey: survey, references: references, tracker: tracker)
      if checksum == nil { checksum = try await ArchiveCursor(path: archive).archiveChecksum() }
      checksums.append(checksum!)
      checkLink(index, chain: chain, headers: headers, checksums: checksums, tracker: tracker)
    }
    for (sha256, use) in referred.sorted(by: { $0.key < $1.key }) {
      tracker.fail(
        VerifyProblem(
          .chain, use.name,
          "\(use.files) files of the last state take their bytes from \(use.name) (SHA-256 \(sha256)), which is "
            + "not an earlier archive of this chain"))
    }
    return result
  }

  /// The earlier archives the last manifest takes bytes from, by SHA-256: name and file count.
  private static func referredArchives(
    _ manifest: ManifestSource, tracker: ProgressTracker
  ) async -> [String: (name: String, files: Int)] {
    var referred: [String: (name: String, files: Int)] = [:]
    let index = ManifestIndex(source: manifest)
    do {
      while true {
        let batch = try await index.nextUnclaimed(upTo: 512)
        if batch.isEmpty { break }
        for case let stored? in batch.map(\.stored) {
          referred[stored.sha256, default: (stored.archive, 0)].files += 1
        }
      }
    } catch {
      tracker.fail(
        VerifyProblem(
          .chain, manifest.name, "\(error): the files the last state takes from earlier archives were not checked"))
      return [:]
    }
    return referred
  }

  /// The link of archive `index`: the first is a full backup, each other is relative to the
  /// one before it (its base's SHA-256 is that archive's).
  private static func checkLink(
    _ index: Int, chain: [String], headers: [ManifestHeader?], checksums: [String], tracker: ProgressTracker
  ) {
    let archive = chain[index]
    guard let header = headers[index] else { return }
    guard index > 0 else {
      if let base = header.base {
        tracker.fail(
          VerifyProblem(
            .chain, archive, "it is an incremental backup relative to \(base.name): a chain starts with a full backup"))
      }
      return
    }
    let previous = chain[index - 1]
    guard let base = header.base else {
      tracker.fail(
        VerifyProblem(.chain, archive, "it is a full backup, not an incremental one relative to \(previous)"))
      return
    }
    if base.sha256 != checksums[index - 1] {
      tracker.fail(
        VerifyProblem(
          .chain, archive,
          "it is relative to \(base.name) (SHA-256 \(base.sha256)), not to \(previous) (SHA-256 "
            + "\(checksums[index - 1])): the archives are out of order, or \(previous) was changed"))
    } else if !Array(base.name.utf8).elementsEqual(Array((previous as NSString).lastPathComponent.utf8)) {
      tracker.report(
        .warning(
          path: archive, message: "its base was named \(base.name); \(previous) has its SHA-256 (renamed since)"))
    }
  }
}

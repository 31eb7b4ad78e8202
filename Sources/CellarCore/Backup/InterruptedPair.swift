// CellarCore: the archive and sidecar a backup killed between its two renames left behind.
import Foundation

/// Puts in place the sidecar a backup killed between its two renames left as `.partial`.
///
/// `ArchiveOutput` renames the archive, then the sidecar; killed in between, it leaves
/// `ARCHIVE.meta.json.partial` beside an archive without sidecar. That partial is put in place
/// when its archive record (size and SHA-256) is that archive's; anything else is left alone and
/// said.
enum InterruptedPair {
  /// What became of a sidecar left as `.partial`.
  enum Outcome: Equatable {
    /// Nothing to do: a sidecar is in place, or none was left.
    case none
    /// The sidecar was put in place.
    case completed(sidecar: String)
    /// The partial sidecar describes another archive (or none); it stays as it is.
    case unrelated(partial: String, reason: String)
  }

  /// Completes the pair of `archive` when an interrupted run left its sidecar as `.partial`.
  static func complete(archive: String) async -> Outcome {
    let sidecar = archive + ".meta.json"
    let partial = sidecar + ".partial"
    let files = FileManager.default
    guard !files.fileExists(atPath: sidecar), files.isReadableFile(atPath: partial),
      files.isReadableFile(atPath: archive)
    else { return .none }
    do {
      guard let recorded = try await ManifestIndex(path: partial).survey(members: []).trailer.archive else {
        return .unrelated(partial: partial, reason: "it has no archive record")
      }
      let size = try? await ArchiveLocation.size(of: archive, s3: nil)
      guard size == recorded.bytes, try await ArchiveCursor(path: archive).archiveChecksum() == recorded.sha256 else {
        return .unrelated(partial: partial, reason: "it records another archive (size or SHA-256)")
      }
      guard rename(partial, sidecar) == 0 else {
        return .unrelated(partial: partial, reason: "it could not be renamed: \(String(cString: strerror(errno)))")
      }
      return .completed(sidecar: sidecar)
    } catch {
      return .unrelated(partial: partial, reason: "\(error)")
    }
  }

  /// Completes `archive`'s pair and says so on `tracker`.
  static func complete(archive: String, tracker: ProgressTracker) async {
    switch await complete(archive: archive) {
    case .none: break
    case .completed(let sidecar):
      tracker.report(
        .warning(
          path: archive,
          message: "a run was interrupted before renaming this archive's sidecar: \(sidecar) put in place"))
    case .unrelated(let partial, let reason):
      tracker.report(
        .warning(path: archive, message: "\(partial) was left by an interrupted run and not used: \(reason)"))
    }
  }

  /// Completes the pairs of every archive in `directory` whose sidecar was left as `.partial`.
  static func completeAll(in directory: String, tracker: ProgressTracker) async {
    let suffix = ".meta.json.partial"
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    for name in names.sorted() where name.hasSuffix(suffix) {
      let archive = (directory as NSString).appendingPathComponent(String(name.dropLast(suffix.count)))
      await complete(archive: archive, tracker: tracker)
    }
  }
}

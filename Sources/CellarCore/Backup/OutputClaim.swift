// CellarCore: a backup never replaces another one unless asked, and never one that an
// incremental backup is relative to.
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Chooses the names a backup is written under when its archive or sidecar name is taken.
///
/// A templated output (`cf-%Y%m%d-%H%M.tar.gz`) that collides gets a numbered name
/// (`cf-20261203-0200-2.tar.gz`); a plain name is an error unless `--overwrite`, and even then
/// a backup another one is relative to stays. `ArchiveOutput` publishes without replacing
/// unless `overwrite`, so a name taken during the run is not lost either.
enum OutputClaim {
  /// `options` with free output names, or an error saying why the names cannot be used.
  ///
  /// `templated` says whether the output was a template before expansion; `base` is the
  /// archive an incremental run is relative to. A renamed output is reported on `tracker`.
  static func resolve(
    _ options: BackupOptions, templated: Bool, base: String?, tracker: ProgressTracker
  ) async throws -> BackupOptions {
    guard !options.dryRun, try await isTaken(options) else { return options }
    if templated {
      for number in 2...999 {
        var candidate = options
        if candidate.output != "-" { candidate.output = numbered(options.output, number) }
        candidate.sidecar = options.sidecar.map { numbered($0, number) }
        guard try await isTaken(candidate) else {
          let (taken, chosen) =
            options.output == "-" ? (options.sidecarPath, candidate.sidecarPath) : (options.output, candidate.output)
          tracker.report(.warning(path: taken, message: "already exists: this backup is written as \(chosen)"))
          return candidate
        }
      }
      throw CellarError.usage("--output \(options.output): 999 backups of that name already exist")
    }
    let archiveTaken = options.output == "-" ? false : try await exists(options.output, options)
    let taken = archiveTaken ? options.output : options.sidecarPath
    guard options.overwrite else {
      throw CellarError.usage(
        "\(taken) already exists; cellar never replaces a backup unless asked: give another --output, "
          + "a template such as NAME-%Y%m%d-%H%M.tar.gz, or --overwrite")
    }
    try await checkReplacement(options, base: base)
    return options
  }

  /// Whether the archive or the sidecar name is in use (a dangling link counts).
  static func isTaken(_ options: BackupOptions) async throws -> Bool {
    if options.output != "-", try await exists(options.output, options) { return true }
    return try await exists(options.sidecarPath, options)
  }

  /// `path` with `-number` before its archive or sidecar extension.
  static func numbered(_ path: String, _ number: Int) -> String {
    // Split by hand: NSString's path functions would fold the `//` of an `s3://` URL.
    let slash = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
    let folder = path[..<slash]
    var name = String(path[slash...])
    var ending = ""
    for suffix in [".meta.json", ".age"] where name.lowercased().hasSuffix(suffix) && name.count > suffix.count {
      ending = String(name.suffix(suffix.count)) + ending
      name.removeLast(suffix.count)
    }
    let extensions = [".tar.gz", ".tar.zst", ".tar.xz", ".tgz", ".tzst", ".txz", ".tar", ".zip", ".json"]
    if let known = extensions.first(where: { name.lowercased().hasSuffix($0) && name.count > $0.count }) {
      ending = String(name.suffix(known.count)) + ending
      name.removeLast(known.count)
    } else if let dot = name.lastIndex(of: "."), dot != name.startIndex {
      ending = String(name[dot...]) + ending
      name = String(name[..<dot])
    }
    return folder + "\(name)-\(number)\(ending)"
  }

  /// Refuses an `--overwrite` that would break a backup: one that replaces only part of a
  /// backup (its archive without its sidecar, or a file in another role), or a backup that this
  /// run (`--since`) or another one in its folder is relative to.
  private static func checkReplacement(_ options: BackupOptions, base: String?) async throws {
    let archive = options.output == "-" ? nil : standardized(options.output)
    let sidecar = standardized(options.sidecarPath)
    if let base, let archive, standardized(base) == archive {
      throw CellarError.usage("--overwrite: \(options.output) is this run's --since base; give another --output")
    }
    // An S3 output's dependents are weighed by the catalog of its prefix.
    guard try S3ObjectURL(options.output) == nil else { return try await checkS3Replacement(options) }
    let paths = [archive, sidecar].compactMap { $0 }
    let folders = Set(paths.map { ($0 as NSString).deletingLastPathComponent })
    let catalogs = try folders.map { try ArchiveCatalog.scan($0) }
    try refuseUnreadable(catalogs.flatMap(\.unreadable).filter { standardized($0.path) != sidecar })
    let entries = catalogs.flatMap(\.entries)
    for replaced in entries
    where paths.contains(standardized(replaced.archive)) || paths.contains(standardized(replaced.sidecar)) {
      guard standardized(replaced.archive) == archive, standardized(replaced.sidecar) == sidecar else {
        let mine = options.output == "-" ? "" : "archive \(options.output) and "
        throw CellarError.usage(
          "--overwrite replaces a whole backup, archive and sidecar: this run's \(mine)sidecar "
            + "\(options.sidecarPath) would replace part of the backup \(replaced.archive) (sidecar \(replaced.sidecar))"
        )
      }
      let name = (replaced.archive as NSString).lastPathComponent
      let folder = (replaced.sidecar as NSString).deletingLastPathComponent
      let dependent = entries.first { entry in
        guard let entryBase = entry.header.base, entry.sidecar != replaced.sidecar else { return false }
        // A base is named by its file name, beside the incremental backup.
        let beside = (entry.sidecar as NSString).deletingLastPathComponent == folder
        return entryBase.sha256 == replaced.record.sha256 || (beside && entryBase.name == name)
      }
      if let dependent {
        throw CellarError.usage(
          "--overwrite: \(replaced.archive) is the base of \(dependent.sidecar); replacing it would break that "
            + "incremental backup (prune removes a chain only when nothing kept needs it)")
      }
    }
  }

  /// Refuses an `--overwrite` of an S3 backup that another backup under its prefix is
  /// relative to.
  private static func checkS3Replacement(_ options: BackupOptions) async throws {
    guard let url = try S3ObjectURL(options.output), let s3 = options.s3 else { return }
    let catalog = try await ArchiveCatalog.scan(url.sibling(url.folderKey), settings: s3)
    try refuseUnreadable(catalog.unreadable.filter { $0.path != options.sidecarPath })
    guard let replaced = catalog.entries.first(where: { $0.archive == options.output }) else { return }
    if let dependent = catalog.entries.first(where: { $0.header.base?.sha256 == replaced.record.sha256 }) {
      throw CellarError.usage(
        "--overwrite: \(replaced.archive) is the base of \(dependent.sidecar); replacing it would break that "
          + "incremental backup (prune removes a chain only when nothing kept needs it)")
    }
  }

  /// Refuses an `--overwrite` beside sidecars that cannot be read (other than the one replaced):
  /// one may be an incremental backup relative to the backup being replaced.
  private static func refuseUnreadable(_ unreadable: [(path: String, reason: String)]) throws {
    guard let first = unreadable.first else { return }
    throw CellarError.usage(
      "--overwrite: \(first.path) cannot be read (\(first.reason)); it may be an incremental backup relative to "
        + "the one this run would replace: repair or move it away (an encrypted one needs its --identity)")
  }

  /// `path` made absolute and without `.` or `..`, so that two spellings of a file compare equal
  /// (an `s3://` URL is left as it is).
  static func standardized(_ path: String) -> String {
    path.hasPrefix("s3://") ? path : URL(fileURLWithPath: path).standardizedFileURL.path
  }

  /// Whether `path` (a local path or an `s3://` URL) names something.
  private static func exists(_ path: String, _ options: BackupOptions) async throws -> Bool {
    guard let url = try S3ObjectURL(path) else {
      var status = stat()
      return lstat(path, &status) == 0
    }
    guard let s3 = options.s3 else { throw CellarError.usage("\(path): S3 outputs need S3 settings") }
    return try await ArchiveLocation.exists(url, s3: s3)
  }
}

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
  ) throws -> BackupOptions {
    guard !options.dryRun, isTaken(options) else { return options }
    if templated {
      for number in 2...999 {
        var candidate = options
        if candidate.output != "-" { candidate.output = numbered(options.output, number) }
        candidate.sidecar = options.sidecar.map { numbered($0, number) }
        guard isTaken(candidate) else {
          let (taken, chosen) =
            options.output == "-" ? (options.sidecarPath, candidate.sidecarPath) : (options.output, candidate.output)
          tracker.report(.warning(path: taken, message: "already exists: this backup is written as \(chosen)"))
          return candidate
        }
      }
      throw CellarError.usage("--output \(options.output): 999 backups of that name already exist")
    }
    let taken = options.output != "-" && exists(options.output) ? options.output : options.sidecarPath
    guard options.overwrite else {
      throw CellarError.usage(
        "\(taken) already exists; cellar never replaces a backup unless asked: give another --output, "
          + "a template such as NAME-%Y%m%d-%H%M.tar.gz, or --overwrite")
    }
    if let dependent = try dependent(of: options, base: base) {
      throw CellarError.usage(
        "--overwrite: \(taken) is the base of \(dependent); replacing it would break that incremental backup "
          + "(prune removes a chain only when nothing kept needs it)")
    }
    return options
  }

  /// Whether the archive or the sidecar name is in use (a dangling link counts).
  static func isTaken(_ options: BackupOptions) -> Bool {
    (options.output != "-" && exists(options.output)) || exists(options.sidecarPath)
  }

  /// `path` with `-number` before its archive or sidecar extension.
  static func numbered(_ path: String, _ number: Int) -> String {
    let folder = (path as NSString).deletingLastPathComponent
    var name = (path as NSString).lastPathComponent
    var ending = ""
    for suffix in [".meta.json"] where name.lowercased().hasSuffix(suffix) {
      ending = String(name.suffix(suffix.count))
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
    let renamed = "\(name)-\(number)\(ending)"
    return folder.isEmpty ? renamed : (folder as NSString).appendingPathComponent(renamed)
  }

  /// A backup in the output's folder (or this run itself) that is relative to the archive
  /// about to be replaced.
  private static func dependent(of options: BackupOptions, base: String?) throws -> String? {
    guard options.output != "-" else { return nil }
    let archive = URL(fileURLWithPath: options.output).standardizedFileURL.path
    if let base, URL(fileURLWithPath: base).standardizedFileURL.path == archive { return "this run (--since)" }
    let folder = (options.output as NSString).deletingLastPathComponent
    guard let catalog = try? ArchiveCatalog.scan(folder.isEmpty ? "." : folder) else { return nil }
    let name = (archive as NSString).lastPathComponent
    let replaced = catalog.entries.first { URL(fileURLWithPath: $0.archive).standardizedFileURL.path == archive }
    return catalog.entries.first { entry in
      guard let base = entry.header.base, entry.sidecar != replaced?.sidecar else { return false }
      return base.name == name || (replaced.map { base.sha256 == $0.record.sha256 } ?? false)
    }.map(\.sidecar)
  }

  private static func exists(_ path: String) -> Bool {
    var status = stat()
    return lstat(path, &status) == 0
  }
}

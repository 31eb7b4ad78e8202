// CellarCore: `cellar restore FULL INC1 INC2` (or `INC2 --chain`): the state the last archive
// records, its bytes taken from whichever archive of the chain holds them.
import CellsKit
import Foundation

/// The archives of an incremental chain, checked link by link, restored in passes.
///
/// The last archive's manifest lists every node of the state it records: deleted nodes are not
/// in it, renamed and moved ones are at their new paths, and each file unchanged since an
/// earlier backup names the archive (by SHA-256) and member holding its bytes. So the restore
/// reads the last archive first (its folders and new or changed files), then each earlier
/// archive, newest first, for the files the state still takes from it, all with the last
/// manifest's paths and metadata. Each archive is read whole and checked before anything is
/// written, as a single archive is.
enum RestoreChain {
  /// The chain ending with `options.archive`, oldest first: the archives given, or (with
  /// `followChain`) those found by following each base's name beside the archive.
  static func archives(_ options: RestoreOptions) throws -> [String] {
    try archives(ending: options.archive, earlier: options.earlier, followChain: options.followChain)
  }

  /// The chain ending with `archive`, oldest first: `earlier` then `archive`, or (with
  /// `followChain`) the archives found by following each base's name beside the archive.
  static func archives(ending archive: String, earlier: [String], followChain: Bool) throws -> [String] {
    guard followChain else { return earlier + [archive] }
    if try S3ObjectURL(archive) != nil {
      throw CellarError.usage("--chain follows local archives only: name each archive of an S3 chain, oldest first")
    }
    var chain = [archive]
    var seen: Set<String> = [archive]
    while let base = try header(of: chain[0]).base {
      let directory = (chain[0] as NSString).deletingLastPathComponent
      let path = directory.isEmpty ? base.name : (directory as NSString).appendingPathComponent(base.name)
      guard FileManager.default.isReadableFile(atPath: path) else {
        throw CellarError.usage("--chain: \(chain[0]) is relative to \(base.name), which is not beside it")
      }
      guard seen.insert(path).inserted else { throw CellarError.usage("--chain: \(path) is its own base") }
      chain.insert(path, at: 0)
    }
    return chain
  }

  /// Checks that each archive's base is the one before it and the first is a full backup.
  static func checkLinks(_ chain: [String], _ setups: [RestoreSetup]) async throws -> [String] {
    var checksums: [String] = []
    for (index, setup) in setups.enumerated() {
      let archive = chain[index]
      guard let header = setup.header else {
        throw CellarError.usage("\(archive) has no manifest, so it cannot be part of a chain")
      }
      var checksum = setup.archiveSHA256
      if checksum == nil { checksum = try await ArchiveCursor(path: archive).archiveChecksum() }
      checksums.append(checksum!)
      if index == 0 {
        if let base = header.base {
          throw CellarError.usage(
            "\(archive) is an incremental backup: the chain must start with its full backup (its base is \(base.name))")
        }
      } else if header.base?.sha256 != checksums[index - 1] {
        let expected = header.base.map { "\($0.name) (SHA-256 \($0.sha256))" } ?? "nothing (it is a full backup)"
        throw CellarError.usage("\(archive) is relative to \(expected), not to \(chain[index - 1])")
      }
    }
    return checksums
  }

  /// The header of the manifest of `archive`: its sidecar's, else (no sidecar, or a damaged one)
  /// its own member's.
  static func header(of archive: String) throws -> ManifestHeader {
    if let sidecar = try ManifestSource.sidecar(for: archive, given: nil) {
      do {
        return try ManifestSource.sidecar(sidecar).reader().header()
      } catch is ManifestError {
        // A damaged sidecar is for the checks to report; the archive's own manifest names the base.
      }
    }
    return try ManifestSource.member(archive: archive).reader().header()
  }

  /// Prepares every archive of `chain` (read whole, checked), then the passes: the last
  /// archive's own part first, then each earlier archive's stored part, newest first.
  static func prepare(
    _ options: RestoreOptions, chain: [String], connection: CellsConnection, tracker: ProgressTracker
  ) async throws -> [RestoreSetup] {
    var setups: [RestoreSetup] = []
    do {
      for (index, archive) in chain.enumerated() {
        let isLast = index == chain.count - 1
        var own = options
        own.archive = archive
        own.earlier = isLast ? Array(chain.dropLast()) : []
        own.sidecar = isLast ? options.sidecar : nil
        own.restoresMetadata = isLast && options.restoresMetadata
        setups.append(
          try await RestoreSetup.prepare(
            own, connection: connection, tracker: tracker, announce: isLast, inChain: true))
      }
      let checksums = try await checkLinks(chain, setups)
      let last = setups[setups.count - 1]
      var passes = [last]
      passes[0].part = .own
      for index in chain.indices.dropLast().reversed() {
        var options = last.options
        options.archive = chain[index]
        passes.append(
          RestoreSetup(
            options: options, connection: connection, manifest: last.manifest, mapper: last.mapper,
            writableNamespaces: last.writableNamespaces, header: last.header,
            part: .stored(sha256: checksums[index]), archivePath: chain[index]))
      }
      for setup in setups.dropLast() { setup.discard() }
      return passes
    } catch {
      for setup in setups { setup.discard() }
      throw error
    }
  }
}

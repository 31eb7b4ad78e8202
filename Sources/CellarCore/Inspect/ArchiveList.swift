// CellarCore: `cellar ls`: the contents of an archive from its manifest (the sidecar, else the
// archive's own manifest member), or from the members themselves when asked or when there is no
// manifest. Streamed: memory holds one batch of entries, whatever the archive's size.
import ArchiveKit
import Foundation

/// Lists an archive.
public enum ArchiveList {
  /// Where a listing came from.
  public enum Origin: Sendable, Equatable {
    /// The sidecar at this path (the archive itself was not opened).
    case sidecar(String)
    /// The archive's own `.cellar/manifest.json` (the sidecar is missing).
    case archiveManifest
    /// The members' headers (asked for, or the archive has no manifest).
    case members
  }

  /// Lists `options.archive`, handing entries to `emit` in archive order, a batch at a time;
  /// returns where they came from.
  public static func run(_ options: ListOptions, emit: ([ListEntry]) throws -> Void) async throws -> Origin {
    let archive = options.archive
    if options.members { return try await members(of: archive, hashes: options.hashes, emit: emit) }
    var sidecar = try await ArchiveLocation.sidecar(for: archive, given: options.sidecar)
    // `cellar ls NAME.meta.json`: the sidecar alone, the archive being elsewhere.
    if sidecar == nil, archive.hasSuffix(".meta.json"), FileManager.default.isReadableFile(atPath: archive) {
      sidecar = archive
    }
    if let sidecar {
      try await nodes(from: .sidecar(sidecar), emit: emit)
      return .sidecar(sidecar)
    }
    guard try await ArchiveLocation.exists(archive) else {
      throw CellarError.usage("cannot read \(archive), and there is no sidecar \(archive).meta.json")
    }
    do {
      try await nodes(from: .member(archive: archive), emit: emit)
      return .archiveManifest
    } catch ManifestError.absent {
      return try await members(of: archive, hashes: options.hashes, emit: emit)
    }
  }

  private static func nodes(from source: ManifestSource, emit: ([ListEntry]) throws -> Void) async throws {
    let index = ManifestIndex(source: source)
    while true {
      let batch = try await index.nextUnclaimed(upTo: 512)
      if batch.isEmpty { return }
      try emit(batch.map(ListEntry.node))
    }
  }

  private static func members(
    of archive: String, hashes: Bool, emit: ([ListEntry]) throws -> Void
  ) async throws -> Origin {
    let cursor = ArchiveCursor(path: archive)
    while let member = try await cursor.next() {
      let sha256 = hashes && member.kind == .file ? try await cursor.digestRest()?.sha256 : nil
      try emit([.member(member, sha256: sha256)])
    }
    return .members
  }
}

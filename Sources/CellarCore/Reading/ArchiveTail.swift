// CellarCore: an archive's own index, for a reader without its sidecar: the frames from the
// archive's end (the zstd seek table, the xz streams' indexes) and the manifest member, which
// starts a frame of its own (docs/architecture.md, "Seekable archives").
import ArchiveKit
import Foundation

/// Finds what a sidecar would say about an archive in the archive itself.
///
/// tar.zst and tar.xz give their frames from their end, and cellar's manifest member starts the
/// last frames, found by trying them from the end; a zip's central directory ends with the
/// manifest's entry; a plain tar's last header is the manifest's. A tar.gz carries no index: it
/// needs its sidecar to be entered in the middle.
enum ArchiveTail {
  /// The manifest member copied out, and the archive record it lacks (no checksum: the archive
  /// cannot say its own).
  struct Found: Sendable {
    /// The manifest, in a temporary file.
    var manifest: TemporaryFile
    /// Format, size and frames, as a sidecar's record gives them.
    var record: ManifestTrailer.Archive
  }

  /// Frames tried from the end for the manifest's first (a manifest of up to 4 GiB).
  static let framesTried = 64

  /// The manifest and record `bytes` carries, or nil when it carries none that can be used
  /// (a tar.gz, another tool's archive, a damaged end).
  ///
  /// Everything is found from the end, so that a damaged start does not hide the index.
  static func read(_ bytes: any ArchiveBytes) throws -> Found? {
    let size = bytes.size
    let read = { (offset: Int64, count: Int) in try bytes.read(at: offset, count: count) }
    let format: ArchiveFormat
    var frames: [ArchiveFrame] = []
    var manifestAt: Int64?
    // A probe that trips on a damaged or foreign end counts as finding nothing there.
    let memberName = ManifestSource.memberName
    if let zstd = try? ZstdSeekTable.frames(fileSize: size, read: read) {
      (format, frames) = (.tarZstd, zstd)
    } else if let xz = try? XzStreamIndex.frames(fileSize: size, read: read) {
      (format, frames) = (.tarXz, xz)
    } else if let entry = try? ZipTail.lastEntryOffset(named: memberName, fileSize: size, read: read) {
      (format, manifestAt) = (.zip, entry)
    } else if let header = try? TarTail.lastHeader(named: memberName, fileSize: size, read: read) {
      (format, manifestAt) = (.tar, header)
    } else {
      return nil
    }
    let record = ManifestTrailer.Archive(
      name: bytes.name, format: format.rawValue, bytes: size, sha256: "", frames: frames.isEmpty ? nil : frames)
    guard let seeker = MemberSeeker(bytes: bytes, archive: record) else { return nil }
    // The manifest starts one of the last frames: those after its first are 64 MiB each.
    let candidates = manifestAt.map { [$0] } ?? frames.reversed().prefix(Self.framesTried).map(\.uncompressedOffset)
    for offset in candidates {
      guard let reader = try? seeker.reader(at: offset), let member = try? reader.next(), member.kind == .file,
        member.path == ManifestSource.memberName
      else { continue }
      let manifest = try TemporaryFile(prefix: "cellar-manifest")
      do {
        try reader.forEachChunk { try manifest.handle.write(contentsOf: $0) }
      } catch {
        manifest.close()
        throw error
      }
      guard fits(manifest, name: "\(bytes.name):\(memberName)", before: offset, seeker: seeker) else {
        manifest.close()
        return nil
      }
      return Found(manifest: manifest, record: record)
    }
    return nil
  }

  /// Whether the manifest describes the archive it was found in.
  ///
  /// Its first files with offsets must start before the manifest, and the first one readable
  /// must be where it says. An archive that another was appended to (a member of another name
  /// there), or a manifest that cannot be read, fails this and is read front to back instead;
  /// members that cannot be read there (a damaged frame) are for the reader to report.
  private static func fits(_ manifest: TemporaryFile, name: String, before end: Int64, seeker: MemberSeeker) -> Bool {
    do {
      let reader = try ManifestReader(path: manifest.path, name: name)
      _ = try reader.header()
      var probes = 0
      while probes < 3, let node = try reader.nextNode() {
        guard !node.isFolder, node.stored == nil, let offset = node.offset else { continue }
        guard offset < end else { return false }
        probes += 1
        guard let member = try? seeker.reader(at: offset).next() else { continue }
        return MemberVisitor.names(member, node.memberPath, atOffset: true)
      }
      return true
    } catch {
      return false
    }
  }
}

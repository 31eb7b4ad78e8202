// CellarCore: single members of an archive read from where they start, without reading what
// comes before them (docs/architecture.md, "Seekable archives").
import ArchiveKit
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Opens readers positioned at a member of an archive file, from the offsets its manifest
/// records: plain tar and zip directly at the member, tar.gz and tar.zst at the frame that holds
/// it (the sidecar's frame list), decompressing from there.
///
/// Counts every byte it reads from the archive file. Use it from one thread at a time.
final class MemberSeeker {
  /// The archive's path.
  let path: String
  /// Bytes read from the archive file so far.
  var bytesRead: Int64 { counter.bytes }

  private static let gzipMagic: [UInt8] = [0x1F, 0x8B]
  private static let zstdMagic: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD]

  private let format: ArchiveFormat
  private let frames: [ArchiveFrame]
  private let descriptor: Int32
  private let counter = FileRangeSource.Counter()

  /// A seeker for the archive at `path` as its sidecar describes it, or nil when the archive
  /// cannot be entered in the middle: tar.xz, a compressed archive written without frames, or a
  /// file that is not the one the sidecar describes (its size differs).
  init?(path: String, archive: ManifestTrailer.Archive?) throws {
    guard let archive, let format = ArchiveFormat(rawValue: archive.format) else { return nil }
    switch format {
    case .tar, .zip: frames = []
    case .tarGzip, .tarZstd:
      guard let frames = archive.frames, frames.first?.uncompressedOffset == 0 else { return nil }
      self.frames = frames
    case .tarXz: return nil
    }
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      throw ArchiveError.cannotOpen(path: path, message: String(cString: strerror(errno)))
    }
    var info = stat()
    guard fstat(descriptor, &info) == 0, Int64(info.st_size) == archive.bytes else {
      close(descriptor)
      return nil
    }
    self.path = path
    self.format = format
    self.descriptor = descriptor
  }

  deinit {
    close(descriptor)
  }

  /// A reader whose `next()` gives the member starting at `offset` and then the ones after it.
  ///
  /// A wrong offset (a damaged or foreign sidecar) gives some other member or an archive error:
  /// the caller checks the member's name, and its bytes against the manifest's SHA-256.
  func reader(at offset: Int64) throws -> ArchiveReader {
    guard offset >= 0 else { throw ArchiveError.source(message: "a negative member offset \(offset)") }
    switch format {
    case .tar, .zip, .tarXz:
      return try ArchiveReader(source: FileRangeSource(descriptor: descriptor, offset: offset, counter: counter))
    case .tarGzip, .tarZstd:
      guard let frame = ArchiveFrame.containing(offset, in: frames) else {
        throw ArchiveError.source(message: "no frame holds offset \(offset)")
      }
      let source = FileRangeSource(descriptor: descriptor, offset: frame.compressedOffset, counter: counter)
      // The decompressor passes bytes that are not compressed through as they are.
      guard try source.starts(with: format == .tarZstd ? Self.zstdMagic : Self.gzipMagic) else {
        throw ArchiveError.source(
          message: "no \(format.rawValue) frame starts at byte \(frame.compressedOffset), as the sidecar says: "
            + "the archive is damaged or is not the one the sidecar describes")
      }
      let stream = try ArchiveDecompressor(source: source)
      guard try stream.skip(offset - frame.uncompressedOffset) else {
        throw ArchiveError.source(message: "the archive ends before offset \(offset)")
      }
      return try ArchiveReader(source: stream)
    }
  }
}

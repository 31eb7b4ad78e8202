// CellarCore: single members of an archive read from where they start, without reading what
// comes before them (docs/architecture.md, "Seekable archives").
import ArchiveKit

/// Opens readers positioned at a member of an archive, from the offsets its manifest records:
/// plain tar and zip directly at the member, compressed tars at the frame that holds it (the
/// sidecar's frame list), decompressing from there.
///
/// Reads through `ArchiveBytes`, a local file or an S3 object, which counts every byte read.
/// Use it from one thread at a time.
final class MemberSeeker {
  /// The archive.
  let bytes: any ArchiveBytes
  /// Bytes read from the archive so far.
  var bytesRead: Int64 { bytes.bytesRead }

  private let format: ArchiveFormat
  private let frames: [ArchiveFrame]

  /// A seeker for the archive `bytes` as its sidecar's record describes it, or nil when the
  /// archive cannot be entered in the middle: a compressed archive written without frames, or an archive that is not the one the sidecar describes (its size differs).
  init?(bytes: any ArchiveBytes, archive: ManifestTrailer.Archive?) {
    guard let archive, let (format, frames) = Self.index(archive, size: bytes.size) else { return nil }
    self.bytes = bytes
    self.format = format
    self.frames = frames
  }

  /// Whether an archive of `size` bytes that `archive` describes can be entered in the middle.
  static func canSeek(_ archive: ManifestTrailer.Archive, size: Int64) -> Bool {
    index(archive, size: size) != nil
  }

  /// The format and frames `archive` records, when they let it be entered in the middle.
  private static func index(_ archive: ManifestTrailer.Archive, size: Int64) -> (ArchiveFormat, [ArchiveFrame])? {
    guard let format = ArchiveFormat(rawValue: archive.format), size == archive.bytes else { return nil }
    switch format {
    case .tar, .zip: return (format, [])
    case .tarGzip, .tarZstd, .tarXz:
      guard let frames = archive.frames, frames.first?.uncompressedOffset == 0 else { return nil }
      return (format, frames)
    }
  }

  /// A reader whose `next()` gives the member starting at `offset` and then the ones after it.
  ///
  /// A wrong offset (a damaged or foreign sidecar) gives some other member or an archive error:
  /// the caller checks the member's name, and its bytes against the manifest's SHA-256.
  func reader(at offset: Int64) throws -> ArchiveReader {
    guard offset >= 0 else { throw ArchiveError.source(message: "a negative member offset \(offset)") }
    switch format {
    case .tar, .zip:
      return try ArchiveReader(source: bytes.source(from: offset))
    case .tarGzip, .tarZstd, .tarXz:
      guard let frame = ArchiveFrame.containing(offset, in: frames) else {
        throw ArchiveError.source(message: "no frame holds offset \(offset)")
      }
      let stream = try ArchiveDecompressor(source: bytes.source(from: frame.compressedOffset))
      // The decompressor passes bytes that are not compressed through as they are.
      guard stream.compression == format else {
        throw ArchiveError.source(
          message: "no \(format.rawValue) frame starts at byte \(frame.compressedOffset), as the sidecar says: "
            + "the archive is damaged or is not the one the sidecar describes")
      }
      guard try stream.skip(offset - frame.uncompressedOffset) else {
        throw ArchiveError.source(message: "the archive ends before offset \(offset)")
      }
      return try ArchiveReader(source: stream)
    }
  }
}

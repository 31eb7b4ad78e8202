// CellarCore: an archive's bytes read from any offset, from a local file or an S3 object, so that
// a single member can be read without the rest (docs/architecture.md, "Seekable archives").
import ArchiveKit

/// An archive read at offsets, counting the bytes it reads.
///
/// Used from one thread at a time; the
/// reads block (disk, network), so never from the cooperative pool.
protocol ArchiveBytes: AnyObject {
  /// The archive's name in messages: its path, or its `s3://` URL.
  var name: String { get }
  /// The archive's size in bytes.
  var size: Int64 { get }
  /// Bytes read so far.
  var bytesRead: Int64 { get }
  /// Up to `count` bytes from `offset` (fewer only at the end).
  func read(at offset: Int64, count: Int) throws -> [UInt8]
  /// The bytes from `offset` to the end, as a source for an `ArchiveReader` or `ArchiveDecompressor`.
  func source(from offset: Int64) -> any ArchiveSource
}

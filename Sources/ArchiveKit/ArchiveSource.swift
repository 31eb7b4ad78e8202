// ArchiveKit: where a reader's bytes come from when they do not come from a file.

/// A source of archive bytes, such as a download stream.
///
/// `ArchiveReader` calls it synchronously, on the thread that called the reader. An error thrown
/// here surfaces as `ArchiveError.source(message:)`.
///
/// A source is read front to back and cannot seek, so zip archives read through one are read
/// from their local headers only: members that defer their size to a data descriptor have an
/// unknown size, modes are libarchive's defaults (0o664/0o775), and a symlink recorded only in
/// the central directory looks like a small file. Open a zip by path or file descriptor when
/// that matters.
public protocol ArchiveSource: AnyObject {
  /// Fills the start of `buffer` with the next bytes and returns how many; 0 at the end.
  func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// A source that can also move, so that a zip is read by its central directory (its names,
/// sizes and modes as recorded there), as from a regular file.
public protocol SeekableArchiveSource: ArchiveSource {
  /// The total size, in bytes.
  var size: Int64 { get }
  /// Moves to `offset` from the start; the next `read` starts there.
  func seek(to offset: Int64) throws
  /// Where the next `read` starts.
  var position: Int64 { get }
  /// Up to `count` bytes at `offset` (fewer only at the end), leaving `position` as it is.
  func read(at offset: Int64, count: Int) throws -> [UInt8]
}

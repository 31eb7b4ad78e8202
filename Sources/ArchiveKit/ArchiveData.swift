// ArchiveKit: a member's data handed to libarchive whole, for the archive writer and the
// compressor alike.
internal import CArchive

/// Writing data through `archive_write_data`, which may take a buffer in several calls.
enum ArchiveData {
  /// Passes all of `bytes` to `archive_write_data`, which may take them in several calls.
  ///
  /// `check` gets a failing status (0 counts as fatal: the entry has room, so nothing written
  /// means something broke) and throws.
  static func writeAll(
    _ archive: OpaquePointer, _ bytes: UnsafeRawBufferPointer, check: (Int32, String) throws -> Void
  ) throws {
    guard let base = bytes.baseAddress else { return }
    var offset = 0
    while offset < bytes.count {
      let count = archive_write_data(archive, base + offset, bytes.count - offset)
      if count <= 0 {
        try check(count < 0 ? Int32(truncatingIfNeeded: count) : ARCHIVE_FATAL, "archive_write_data")
      }
      offset += count
    }
  }
}

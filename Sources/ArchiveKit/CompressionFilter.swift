// ArchiveKit: the compression filters of the tar formats, set up the same way for an archive
// writer and for a bare compressor.
internal import CArchive

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Adds the filter of a compressed tar format (gzip, zstd, xz) to a libarchive write handle.
enum CompressionFilter {
  /// Adds `format`'s filter with `level` and `threads`; plain tar and zip add none.
  ///
  /// `check` is the caller's: it gets each call's status and name, and throws on failure.
  static func add(
    to archive: OpaquePointer, format: ArchiveFormat, level: Int?, threads: Int?,
    check: (Int32, String) throws -> Void
  ) throws {
    let module: String
    switch format {
    case .tar, .zip: return
    case .tarGzip:
      module = "gzip"
      try check(archive_write_add_filter_gzip(archive), "archive_write_add_filter_gzip")
    case .tarZstd:
      module = "zstd"
      try check(archive_write_add_filter_zstd(archive), "archive_write_add_filter_zstd")
    case .tarXz:
      module = "xz"
      try check(archive_write_add_filter_xz(archive), "archive_write_add_filter_xz")
    }
    if let level {
      try check(
        archive_write_set_filter_option(archive, module, "compression-level", String(level)),
        "archive_write_set_filter_option")
    }
    if module != "gzip" { setThreads(threads, module: module, archive: archive) }
  }

  /// Sets the compressor's thread count (one per active processor unless told otherwise).
  ///
  /// Threads only speed things up, so a libarchive or liblzma/libzstd build without the option
  /// (ARCHIVE_WARN, or ARCHIVE_FAILED from the named module) is ignored.
  private static func setThreads(_ threads: Int?, module: String, archive: OpaquePointer) {
    let count = max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount)
    // libzstd starts worker threads (and their job buffers) for any count above 0, even 1;
    // 0 keeps it on the calling thread. For xz, 1 already selects the single-threaded encoder.
    let value = module == "zstd" && count == 1 ? 0 : count
    _ = archive_write_set_filter_option(archive, module, "threads", String(value))
  }
}

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
  /// Returns the failing libarchive call's status and name, or nil when all went well.
  static func add(
    to archive: OpaquePointer, format: ArchiveFormat, level: Int?, threads: Int?
  ) -> (status: Int32, operation: String)? {
    let module: String
    switch format {
    case .tar, .zip: return nil
    case .tarGzip:
      module = "gzip"
      if let failure = checked(archive_write_add_filter_gzip(archive), "archive_write_add_filter_gzip") {
        return failure
      }
    case .tarZstd:
      module = "zstd"
      if let failure = checked(archive_write_add_filter_zstd(archive), "archive_write_add_filter_zstd") {
        return failure
      }
    case .tarXz:
      module = "xz"
      if let failure = checked(archive_write_add_filter_xz(archive), "archive_write_add_filter_xz") {
        return failure
      }
    }
    if let level {
      let status = archive_write_set_filter_option(archive, module, "compression-level", String(level))
      if let failure = checked(status, "archive_write_set_filter_option") { return failure }
    }
    if module != "gzip" { setThreads(threads, module: module, archive: archive) }
    return nil
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

  private static func checked(_ status: Int32, _ operation: String) -> (status: Int32, operation: String)? {
    ArchiveError.isSuccess(status) ? nil : (status, operation)
  }
}

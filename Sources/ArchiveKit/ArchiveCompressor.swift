// ArchiveKit: a compressed tar format's filter on its own, for a byte stream that is already a
// tar archive, so that formatting and compressing can run on different threads.
internal import CArchive

#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Musl)
  internal import Musl
#elseif canImport(Darwin)
  internal import Darwin
#endif

/// Compresses a byte stream with the filter of `.tarGzip`, `.tarZstd` or `.tarXz`, writing the
/// result to a sink.
///
/// Fed with the output of an `ArchiveWriter(format: .tar, …)`, it produces an archive of the
/// compressed format that every reader takes, while the writer and the compressor run on two
/// threads. Built on libarchive's "raw" format: one unnamed entry, no header of its own.
///
/// It is an `ArchiveSink` itself (`close()` finishes the stream). Use it from one thread at a
/// time; an error makes it unusable, and an unfinished compressor never writes the stream's end.
public final class ArchiveCompressor: ArchiveSink {
  private let archive: OpaquePointer
  private let bridge: SinkBridge
  private var failure: ArchiveError?
  private var finished = false

  /// A compressor for `format`'s filter at `level` (nil: the filter's default) with `threads`
  /// (as `ArchiveWriter` takes them), writing to `sink`.
  ///
  /// - Throws: `ArchiveError.invalidLevel`, or `.library` when `format` is plain tar or zip or
  ///   libarchive cannot set up.
  public init(format: ArchiveFormat, level: Int? = nil, threads: Int? = nil, sink: some ArchiveSink) throws {
    if let level, !(format.compressionLevels?.contains(level) ?? false) {
      throw ArchiveError.invalidLevel(format: format, level: level)
    }
    guard format.isTar, format != .tar else {
      throw ArchiveError.library(operation: "ArchiveCompressor", code: EINVAL, message: "\(format) has no filter")
    }
    guard let archive = archive_write_new() else {
      throw ArchiveError.library(operation: "archive_write_new", code: ENOMEM, message: "out of memory")
    }
    self.archive = archive
    bridge = SinkBridge(sink: sink)
    // From here on a throw runs deinit, which frees the handle.
    try check(archive_write_set_format_raw(archive), "archive_write_set_format_raw")
    try check(archive_write_set_bytes_in_last_block(archive, 1), "archive_write_set_bytes_in_last_block")
    try CompressionFilter.add(to: archive, format: format, level: level, threads: threads, check: check)
    try check(
      archive_write_open2(archive, bridge.context, nil, SinkBridge.write, SinkBridge.close, nil), "archive_write_open2")
    guard let entry = archive_entry_new() else {
      throw ArchiveError.library(operation: "archive_entry_new", code: ENOMEM, message: "out of memory")
    }
    defer { archive_entry_free(entry) }
    archive_entry_set_filetype(entry, FileType.regular)
    try check(archive_write_header(archive, entry), "archive_write_header")
  }

  deinit {
    if !finished { archive_write_fail(archive) }
    archive_write_free(archive)
  }

  /// Compresses `bytes`; output reaches the sink as the filter produces it.
  ///
  /// Wraps `archive_write_data`.
  public func write(_ bytes: UnsafeRawBufferPointer) throws {
    if let failure { throw failure }
    try ArchiveData.writeAll(archive, bytes, check: check)
  }

  /// Ends the compressed stream, flushes it to the sink and closes the sink.
  ///
  /// Wraps `archive_write_close`.
  public func close() throws {
    if let failure { throw failure }
    try check(archive_write_close(archive), "archive_write_close")
    // libarchive 3.6 ignores what the close callback returns, so look for the sink's error here.
    if let sinkError = bridge.error { throw fail(sinkError) }
    finished = true
  }

  private func fail(_ error: ArchiveError) -> ArchiveError {
    failure = error
    archive_write_fail(archive)
    return error
  }

  private func check(_ status: Int32, _ operation: String) throws {
    if ArchiveError.isSuccess(status) { return }
    if let sinkError = bridge.error { throw fail(sinkError) }
    throw fail(ArchiveError.library(archive, operation: operation))
  }
}

@available(*, unavailable)
extension ArchiveCompressor: Sendable {}

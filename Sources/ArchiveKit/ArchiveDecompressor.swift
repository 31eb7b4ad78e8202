// ArchiveKit: a gzip, zstd or xz stream decompressed on its own, for reading a tar archive from a
// frame in the middle of a compressed file (see FramedCompressor).
internal import CArchive

#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Musl)
  internal import Musl
#elseif canImport(Darwin)
  internal import Darwin
#endif

/// The decompressed bytes of a gzip, zstd or xz stream read from `source`, as an `ArchiveSource`
/// again: hand it to `ArchiveReader(source:)` to read the tar inside.
///
/// Concatenated gzip members, zstd frames (skippable ones included) and xz streams read as one
/// stream.
/// Input that is not compressed passes through unchanged. Built on libarchive's "raw" format.
public final class ArchiveDecompressor: ArchiveSource {
  private let archive: OpaquePointer
  private let bridge: SourceBridge

  /// Starts decompressing `source`.
  ///
  /// - Throws: `ArchiveError.source` or `.library` when the stream cannot be started.
  public init(source: some ArchiveSource) throws {
    guard let archive = archive_read_new() else {
      throw ArchiveError.library(operation: "archive_read_new", code: ENOMEM, message: "out of memory")
    }
    self.archive = archive
    bridge = SourceBridge(input: .source(source))
    // From here on a throw runs deinit, which frees the handle.
    try check(archive_read_support_format_raw(archive), "archive_read_support_format_raw")
    try check(archive_read_support_filter_gzip(archive), "archive_read_support_filter_gzip")
    try check(archive_read_support_filter_zstd(archive), "archive_read_support_filter_zstd")
    try check(archive_read_support_filter_xz(archive), "archive_read_support_filter_xz")
    try check(
      archive_read_open2(archive, bridge.context, nil, SourceBridge.readCallback, nil, nil), "archive_read_open2")
    var entry: OpaquePointer?
    try check(archive_read_next_header(archive, &entry), "archive_read_next_header")
  }

  deinit {
    archive_read_free(archive)
  }

  /// The compressed tar format whose compression the stream starts with (gzip, zstd, xz), or nil
  /// when it starts with none (whatever it holds is then passed through as it is).
  public var compression: ArchiveFormat? {
    switch archive_filter_code(archive, 0) {
    case ARCHIVE_FILTER_GZIP: .tarGzip
    case ARCHIVE_FILTER_ZSTD: .tarZstd
    case ARCHIVE_FILTER_XZ: .tarXz
    default: nil
    }
  }

  /// The next decompressed bytes; 0 at the end of the stream.
  ///
  /// - Throws: `ArchiveError.source`, or `.library` for corrupt data (a bad CRC or checksum).
  public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    guard let base = buffer.baseAddress, !buffer.isEmpty else { return 0 }
    let count = archive_read_data(archive, base, buffer.count)
    if count < 0 { try check(Int32(truncatingIfNeeded: count), "archive_read_data", warningIsError: true) }
    return max(count, 0)
  }

  /// Reads and drops `count` decompressed bytes; false when the stream ends first.
  public func skip(_ count: Int64) throws -> Bool {
    var left = count
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
    defer { buffer.deallocate() }
    while left > 0 {
      let got = try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[..<Int(min(Int64(buffer.count), left))]))
      if got == 0 { return false }
      left -= Int64(got)
    }
    return true
  }

  private func check(_ status: Int32, _ operation: String, warningIsError: Bool = false) throws {
    if status >= ARCHIVE_OK || (!warningIsError && ArchiveError.isSuccess(status)) { return }
    if let inputError = bridge.error { throw inputError }
    throw ArchiveError.library(archive, operation: operation)
  }
}

@available(*, unavailable)
extension ArchiveDecompressor: Sendable {}

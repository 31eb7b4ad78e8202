// ArchiveKit: streams folders and files into a new archive through libarchive.
//
// One file for one handle's whole life (setup, members, finish, failure), a little over 300 lines:
// split, the rules of when a writer is usable would be spread over several files.
internal import CArchive

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Musl)
  internal import Musl
#elseif canImport(Darwin)
  internal import Darwin
#endif

/// Writes an archive member by member, streaming each file's data in chunks.
///
/// ```swift
/// let writer = try ArchiveWriter(format: .tarZstd, fileDescriptor: fd)
/// try writer.writeDirectory(path: "docs", mtime: 1_700_000_000)
/// try writer.beginFile(path: "docs/a.txt", size: 5, mtime: 1_700_000_000)
/// try writer.write(Array("hello".utf8))
/// try writer.finishFile()
/// try writer.finish()
/// ```
///
/// The size of a file is declared up front (tar and zip headers precede the data) and enforced:
/// writing more than declared, or finishing with less, throws `ArchiveError.sizeMismatch`
/// rather than letting libarchive silently truncate or zero-pad the member.
///
/// Member names are stored as UTF-8, byte for byte (NFC and NFD are kept as given). Names that
/// are empty, absolute, contain a `..`, `.` or empty component, or contain NUL are refused with
/// `ArchiveError.unsafeMemberName`.
///
/// After an error from libarchive or the output, or a size mismatch at `finishFile()`, the
/// writer is unusable and every later call throws that first error again. An unfinished writer
/// never writes the archive's trailer, so an interrupted archive is visibly incomplete.
///
/// ## Threads
///
/// tar.zst and tar.xz compress with one thread per active processor by default, which costs
/// memory per thread (measured with libarchive 3.6.2 on 2 processors: zstd about 110 MiB in all
/// against 10 MiB single-threaded; xz at level 6 about 340 MiB against 100 MiB). Pass
/// `threads:` to cap it on a busy or small machine.
///
/// - Important: Every method blocks on compression and output. Call the writer from a dedicated
///   thread, never from the Swift cooperative pool (an `async` context), and from one thread at
///   a time.
public final class ArchiveWriter {
  /// The format being written.
  public let format: ArchiveFormat

  private let archive: OpaquePointer
  private let entry: OpaquePointer
  /// Keeps the caller's sink alive while libarchive holds a pointer to it (nil for a descriptor).
  private let bridge: SinkBridge?
  private var state: State = .ready

  private enum State {
    case ready
    case file(path: String, declared: Int64, written: Int64)
    case finished
    case failed(ArchiveError)
  }

  /// Where the archive goes.
  private enum Output {
    case descriptor(Int32)
    case sink(SinkBridge)
  }

  /// Creates a writer that writes the archive to an open file descriptor.
  ///
  /// The descriptor stays the caller's: the writer neither closes it nor seeks on it, so a pipe
  /// or standard output works. The archive is complete only after `finish()`.
  ///
  /// - Parameters:
  ///   - format: The archive format.
  ///   - level: The compression level, or `nil` for the format's default. See
  ///     `ArchiveFormat.compressionLevels`; plain tar takes none. For zip, 0 means store.
  ///   - threads: Compression threads for tar.zst and tar.xz; `nil` means one per active
  ///     processor, 1 means compressing on the calling thread. See "Threads" above.
  ///   - fileDescriptor: An open, writable descriptor.
  /// - Throws: `ArchiveError.invalidLevel`, or `.library` when libarchive cannot set up.
  ///
  /// Wraps `archive_write_open_fd`.
  public convenience init(
    format: ArchiveFormat, level: Int? = nil, threads: Int? = nil, fileDescriptor: Int32
  ) throws {
    try self.init(format: format, level: level, threads: threads, output: .descriptor(fileDescriptor))
  }

  /// Creates a writer that hands the archive's bytes to `sink`.
  ///
  /// The writer keeps a strong reference to the sink until it is deinitialised.
  ///
  /// - Parameters:
  ///   - format: The archive format.
  ///   - level: The compression level, or `nil` for the format's default. See
  ///     `ArchiveFormat.compressionLevels`; plain tar takes none. For zip, 0 means store.
  ///   - threads: Compression threads for tar.zst and tar.xz; `nil` means one per active
  ///     processor, 1 means compressing on the calling thread. See "Threads" above.
  ///   - sink: Receives the archive in blocks, then `close()` from `finish()`.
  /// - Throws: `ArchiveError.invalidLevel`, or `.library` when libarchive cannot set up.
  ///
  /// Wraps `archive_write_open2`.
  public convenience init(
    format: ArchiveFormat, level: Int? = nil, threads: Int? = nil, sink: some ArchiveSink
  ) throws {
    try self.init(format: format, level: level, threads: threads, output: .sink(SinkBridge(sink: sink)))
  }

  private init(format: ArchiveFormat, level: Int?, threads: Int?, output: Output) throws {
    if let level, !(format.compressionLevels?.contains(level) ?? false) {
      throw ArchiveError.invalidLevel(format: format, level: level)
    }
    guard let archive = archive_write_new() else {
      throw ArchiveError.library(operation: "archive_write_new", code: ENOMEM, message: "out of memory")
    }
    guard let entry = archive_entry_new() else {
      archive_write_free(archive)
      throw ArchiveError.library(operation: "archive_entry_new", code: ENOMEM, message: "out of memory")
    }
    self.format = format
    self.archive = archive
    self.entry = entry
    if case .sink(let bridge) = output { self.bridge = bridge } else { self.bridge = nil }
    // From here on a throw runs deinit, which frees both handles.
    try NameLocale.utf8.run {
      try configure(level: level, threads: threads)
      switch output {
      case .descriptor(let fd):
        try check(archive_write_open_fd(archive, fd), "archive_write_open_fd")
      case .sink(let bridge):
        try check(
          archive_write_open2(archive, bridge.context, nil, SinkBridge.write, SinkBridge.close, nil),
          "archive_write_open2")
      }
    }
  }

  deinit {
    NameLocale.utf8.run {
      // Without finish() the archive is incomplete: mark it failed so that free does not
      // "close" it with a trailer that would make a partial archive look whole.
      if case .finished = state {} else { archive_write_fail(archive) }
      archive_write_free(archive)
      archive_entry_free(entry)
    }
  }

  // MARK: - Setup

  private func configure(level: Int?, threads: Int?) throws {
    // Never pad the final block: padding after a compressed stream or a zip's end record is
    // trailing garbage to some readers, and tar readers stop at the two zero blocks anyway.
    try check(archive_write_set_bytes_in_last_block(archive, 1), "archive_write_set_bytes_in_last_block")
    if format.isTar {
      try check(archive_write_set_format_pax_restricted(archive), "archive_write_set_format_pax_restricted")
      try CompressionFilter.add(to: archive, format: format, level: level, threads: threads, check: check)
      return
    }
    try check(archive_write_set_format_zip(archive), "archive_write_set_format_zip")
    // Names are UTF-8: set the zip UTF-8 flag (bit 11) for non-ASCII names.
    try check(
      archive_write_set_format_option(archive, "zip", "hdrcharset", "UTF-8"),
      "archive_write_set_format_option")
    if level == 0 {
      try check(archive_write_zip_set_compression_store(archive), "archive_write_zip_set_compression_store")
    } else {
      try check(archive_write_zip_set_compression_deflate(archive), "archive_write_zip_set_compression_deflate")
      if let level {
        try check(
          archive_write_set_format_option(archive, "zip", "compression-level", String(level)),
          "archive_write_set_format_option")
      }
    }
  }

  /// Bytes of the archive formatted so far, before any compression: read before adding a
  /// member, where that member's header starts in the tar stream (or the zip file).
  ///
  /// Wraps `archive_filter_bytes`.
  public var position: Int64 { archive_filter_bytes(archive, 0) }

  // MARK: - Members

  /// Adds a directory member.
  ///
  /// - Parameters:
  ///   - path: A relative `/`-separated path; a trailing `/` is accepted and not doubled.
  ///   - mode: Permission bits; only `0o7777` is used.
  ///   - mtime: Modification time in seconds since 1970-01-01 UTC.
  /// - Throws: `ArchiveError.unsafeMemberName`, `.fileStillOpen`, or a libarchive error.
  ///
  /// Wraps `archive_write_header`.
  public func writeDirectory(path: String, mode: UInt32 = 0o755, mtime: Int64) throws {
    try requireReady()
    let name = try MemberName.forWriting(path, isDirectory: true)
    try writeHeader(name: name, type: FileType.directory, size: 0, mode: mode, mtime: mtime)
    try NameLocale.utf8.run { try check(archive_write_finish_entry(archive), "archive_write_finish_entry") }
  }

  /// Starts a file member of exactly `size` bytes; send them with `write(_:)`, then call
  /// `finishFile()`.
  ///
  /// - Parameters:
  ///   - path: A relative `/`-separated path.
  ///   - size: The exact number of bytes that will follow.
  ///   - mode: Permission bits; only `0o7777` is used.
  ///   - mtime: Modification time in seconds since 1970-01-01 UTC.
  /// - Throws: `ArchiveError.unsafeMemberName`, `.invalidSize`, `.fileStillOpen`, or a
  ///   libarchive error.
  ///
  /// Wraps `archive_write_header`.
  public func beginFile(path: String, size: Int64, mode: UInt32 = 0o644, mtime: Int64) throws {
    try requireReady()
    guard size >= 0 else { throw ArchiveError.invalidSize(path: path, size: size) }
    let name = try MemberName.forWriting(path, isDirectory: false)
    try writeHeader(name: name, type: FileType.regular, size: size, mode: mode, mtime: mtime)
    state = .file(path: path, declared: size, written: 0)
  }

  /// Appends a chunk of the current file's data.
  ///
  /// A chunk that would take the file past its declared size is refused whole, with
  /// `ArchiveError.sizeMismatch`, and nothing of it is written.
  ///
  /// Wraps `archive_write_data`.
  public func write(_ bytes: UnsafeRawBufferPointer) throws {
    try requireUsable()
    guard case .file(let path, let declared, let written) = state else {
      throw ArchiveError.noCurrentFile
    }
    guard !bytes.isEmpty else { return }
    let total = written + Int64(bytes.count)
    guard total <= declared else {
      throw ArchiveError.sizeMismatch(path: path, declared: declared, written: total)
    }
    try NameLocale.utf8.run { try ArchiveData.writeAll(archive, bytes, check: check) }
    state = .file(path: path, declared: declared, written: total)
  }

  /// Appends a chunk of the current file's data.
  ///
  /// Wraps `archive_write_data`.
  public func write(_ bytes: [UInt8]) throws {
    try bytes.withUnsafeBytes { try write($0) }
  }

  /// Ends the current file after checking that exactly the declared number of bytes came.
  ///
  /// - Throws: `ArchiveError.sizeMismatch` when fewer bytes were written (the writer is then
  ///   unusable: libarchive would otherwise pad the member with zeros), `.noCurrentFile`, or a
  ///   libarchive error.
  ///
  /// Wraps `archive_write_finish_entry`.
  public func finishFile() throws {
    try requireUsable()
    guard case .file(let path, let declared, let written) = state else {
      throw ArchiveError.noCurrentFile
    }
    guard written == declared else {
      let error = ArchiveError.sizeMismatch(path: path, declared: declared, written: written)
      fail(error)
      throw error
    }
    try NameLocale.utf8.run { try check(archive_write_finish_entry(archive), "archive_write_finish_entry") }
    state = .ready
  }

  /// Completes the archive: writes the trailer (tar end blocks, zip central directory), flushes
  /// the compressor and the output, and closes the sink.
  ///
  /// - Throws: `.fileStillOpen` if a file is unfinished, or an output or libarchive error.
  ///
  /// Wraps `archive_write_close`.
  public func finish() throws {
    try requireReady()
    try NameLocale.utf8.run { try check(archive_write_close(archive), "archive_write_close") }
    // libarchive 3.6 ignores what the close callback returns, so look for the sink's error here.
    if let sinkError = bridge?.error {
      fail(sinkError)
      throw sinkError
    }
    state = .finished
  }

  // MARK: - Helpers

  private func writeHeader(name: [UInt8], type: mode_t, size: Int64, mode: UInt32, mtime: Int64) throws {
    try NameLocale.utf8.run {
      archive_entry_clear(entry)
      // copy_pathname stores the bytes as they are; the UTF-8 locale makes libarchive label
      // them UTF-8 (pax path record, zip flag) without converting or normalising them.
      String(decoding: name, as: UTF8.self).withCString { archive_entry_copy_pathname(entry, $0) }
      archive_entry_set_filetype(entry, type)
      archive_entry_set_perm(entry, mode_t(mode & 0o7777))
      archive_entry_set_size(entry, size)
      archive_entry_set_mtime(entry, time_t(mtime), 0)
      try check(archive_write_header(archive, entry), "archive_write_header")
    }
  }

  /// Throws the first error again once the writer has failed, or `.alreadyFinished`.
  private func requireUsable() throws {
    switch state {
    case .failed(let error): throw error
    case .finished: throw ArchiveError.alreadyFinished
    case .ready, .file: return
    }
  }

  /// Like `requireUsable`, and also refuses while a file is open.
  private func requireReady() throws {
    try requireUsable()
    if case .file(let path, _, _) = state { throw ArchiveError.fileStillOpen(path: path) }
  }

  private func fail(_ error: ArchiveError) {
    state = .failed(error)
    archive_write_fail(archive)
  }

  /// Maps a libarchive status to success (OK or WARN) or a thrown error.
  ///
  /// An error the sink threw wins over libarchive's message, which would only say that a write
  /// callback failed. A fatal status or a sink error makes the writer unusable.
  private func check(_ status: Int32, _ operation: String) throws {
    if ArchiveError.isSuccess(status) { return }
    if let sinkError = bridge?.error {
      fail(sinkError)
      throw sinkError
    }
    let error = ArchiveError.library(archive, operation: operation)
    if ArchiveError.isFatal(status) { fail(error) }
    throw error
  }
}

/// `ArchiveWriter` is not thread-safe: use each writer from one thread at a time.
@available(*, unavailable)
extension ArchiveWriter: Sendable {}

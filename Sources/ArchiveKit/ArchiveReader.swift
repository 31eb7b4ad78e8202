// ArchiveKit: reads the members of an archive one by one, refusing anything unsafe.
internal import CArchive

#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Musl)
  internal import Musl
#elseif canImport(Darwin)
  internal import Darwin
#endif

/// Reads an archive member by member, streaming each file's data in chunks.
///
/// ```swift
/// let reader = try ArchiveReader(path: "backup.tar.zst")
/// while let member = try reader.next() {
///   if member.kind == .file {
///     try reader.forEachChunk { chunk in try upload(chunk) }
///   }
/// }
/// ```
///
/// The format (tar, tar.gz, tar.zst, tar.xz, zip) is detected from the content. Only regular
/// files and directories come out: the reader throws `ArchiveError.unsupportedMemberType` for
/// symlinks, hardlinks, devices, FIFOs and sockets, and `ArchiveError.unsafeMemberName` for
/// absolute names, `..` components and names that are not UTF-8. After such a refusal the
/// archive is still readable: the next `next()` moves past the refused member. A truncated or
/// corrupt archive throws `ArchiveError.library` with libarchive's message.
///
/// Names keep their stored bytes, NFD included. libarchive converts zip names to Unicode NFC
/// (see NameLocale.swift); a zip file opened by path or descriptor gets them back from its
/// central directory (`ZipCentralDirectory`), a zip read from an `ArchiveSource` keeps NFC.
///
/// - Important: Every method blocks on input and decompression. Call the reader from a
///   dedicated thread, never from the Swift cooperative pool (an `async` context), and from one
///   thread at a time.
public final class ArchiveReader {
  /// The size of the chunks `forEachChunk` hands out.
  static let chunkSize = 256 * 1024

  private let archive: OpaquePointer
  /// Keeps the input alive while libarchive holds a pointer to it.
  private let bridge: SourceBridge
  /// A descriptor the reader opened itself (from a path) and closes.
  private let ownedDescriptor: Int32?
  /// The locale names are converted under; fixed once the input's first bytes are known.
  private var locale = NameLocale.posix
  /// A seekable zip's stored names, entry by entry (nil once out of step with libarchive's).
  private var zipNames: ZipCentralDirectory?
  private var current: (member: ArchiveMember, bytesRead: Int64)?
  /// The reusable buffer of `forEachChunk`, allocated on first use.
  private var chunk: UnsafeMutableRawBufferPointer?

  /// The archive's format, known once `next()` has read the first header.
  public private(set) var format: ArchiveFormat?

  /// Opens the archive file at `path` for reading.
  ///
  /// A zip opened this way is read through its central directory, so every member's mode,
  /// type and size are known.
  ///
  /// - Throws: `ArchiveError.cannotOpen`, or `.library` when libarchive cannot start reading
  ///   (for example "Unrecognized archive format").
  ///
  /// Wraps `archive_read_open2`.
  public convenience init(path: String) throws {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else {
      throw ArchiveError.cannotOpen(path: path, message: String(cString: strerror(errno)))
    }
    try self.init(input: .descriptor(fd, seekable: Self.isRegularFile(fd)), owning: fd)
  }

  /// Reads an archive from an open file descriptor, which stays the caller's to close.
  ///
  /// A regular file is read with seeks (zip's central directory, skipping unread data); a pipe
  /// is read front to back, with the limits described for `ArchiveSource`.
  ///
  /// - Throws: `ArchiveError.library` when libarchive cannot start reading.
  ///
  /// Wraps `archive_read_open2`.
  public convenience init(fileDescriptor: Int32) throws {
    let seekable = Self.isRegularFile(fileDescriptor)
    try self.init(input: .descriptor(fileDescriptor, seekable: seekable), owning: nil)
  }

  /// Reads an archive from `source`, front to back.
  ///
  /// The reader keeps a strong reference to the source until it is deinitialised.
  ///
  /// - Throws: `ArchiveError.source` or `.library` when reading cannot start.
  ///
  /// Wraps `archive_read_open2`.
  public convenience init(source: some ArchiveSource) throws {
    try self.init(input: .source(source), owning: nil)
  }

  /// Reads an archive from `source`, moving in it as in a regular file (a zip by its central
  /// directory).
  ///
  /// Wraps `archive_read_open2` with a seek callback.
  public convenience init(seekable source: some SeekableArchiveSource) throws {
    try self.init(input: .seekable(source), owning: nil)
  }

  private init(input: SourceBridge.Input, owning ownedDescriptor: Int32?) throws {
    guard let archive = archive_read_new() else {
      if let ownedDescriptor { close(ownedDescriptor) }
      throw ArchiveError.library(operation: "archive_read_new", code: ENOMEM, message: "out of memory")
    }
    self.archive = archive
    self.bridge = SourceBridge(input: input)
    self.ownedDescriptor = ownedDescriptor
    // From here on a throw runs deinit, which frees the handle and closes an owned descriptor.
    // Only the formats and filters cellar writes: less code facing untrusted input.
    try check(archive_read_support_format_tar(archive), "archive_read_support_format_tar")
    try check(archive_read_support_format_zip(archive), "archive_read_support_format_zip")
    try check(archive_read_support_filter_gzip(archive), "archive_read_support_filter_gzip")
    try check(archive_read_support_filter_zstd(archive), "archive_read_support_filter_zstd")
    try check(archive_read_support_filter_xz(archive), "archive_read_support_filter_xz")
    if bridge.isSeekable {
      try check(archive_read_set_seek_callback(archive, SourceBridge.seekCallback), "archive_read_set_seek_callback")
    }
    let skip = bridge.isSeekable ? SourceBridge.skipCallback : nil
    try check(
      archive_read_open2(archive, bridge.context, nil, SourceBridge.readCallback, skip, nil),
      "archive_read_open2")
    // Opening has read the first block and detected compression. An uncompressed input that
    // starts with a zip signature ("PK\3\4" a member, "PK\5\6" an empty zip) is a zip, whose
    // names need the UTF-8 locale; tar keeps the C locale.
    let zipSignatures: [[UInt8]] = [[0x50, 0x4B, 0x03, 0x04], [0x50, 0x4B, 0x05, 0x06]]
    let isZip =
      archive_filter_code(archive, 0) == ARCHIVE_FILTER_NONE
      && zipSignatures.contains { bridge.prefix.starts(with: $0) }
    locale = isZip ? .utf8 : .posix
    if isZip, case .descriptor(let descriptor, seekable: true) = input {
      zipNames = ZipCentralDirectory(descriptor: descriptor)
    } else if isZip, case .seekable(let source) = input {
      zipNames = ZipCentralDirectory(size: source.size) { try? source.read(at: $0, count: $1) }
    }
  }

  deinit {
    archive_read_free(archive)
    if let ownedDescriptor { close(ownedDescriptor) }
    chunk?.deallocate()
  }

  // MARK: - Members

  /// Moves to the next member and describes it, or returns `nil` at the end of the archive.
  ///
  /// Unread data of the previous member is skipped. A directory named "./" (the root that
  /// `tar -C dir .` records) is skipped silently.
  ///
  /// - Throws: `ArchiveError.unsafeMemberName`, `.unsupportedMemberType` (the member can then
  ///   be skipped by calling `next()` again), or `.library` for a corrupt or truncated archive.
  ///
  /// Wraps `archive_read_next_header`.
  public func next() throws -> ArchiveMember? {
    current = nil
    while true {
      var entry: OpaquePointer?
      let status = locale.run { archive_read_next_header(archive, &entry) }
      if status == ARCHIVE_EOF { return nil }
      try check(status, "archive_read_next_header")
      guard let entry else {
        throw ArchiveError.library(archive, operation: "archive_read_next_header")
      }
      if format == nil { format = detectedFormat() }
      if let member = try describe(entry) {
        current = (member, 0)
        return member
      }
    }
  }

  /// Turns an entry into a member, or `nil` for the archive's root directory.
  private func describe(_ entry: OpaquePointer) throws -> ArchiveMember? {
    let storedName = zipNames?.nextName()
    guard let cName = archive_entry_pathname(entry) else {
      // libarchive could not convert the name (it says why, as a warning); nothing to check.
      let reason = archive_error_string(archive).map { String(cString: $0) } ?? "unreadable name"
      throw ArchiveError.unsafeMemberName(name: "", reason: reason)
    }
    var nameBytes = Array(UnsafeRawBufferPointer(start: cName, count: strlen(cName)))
    if let storedName, storedName != nameBytes {
      // libarchive's NFC of the stored name (String's == is canonical equivalence) gives way to
      // the stored bytes; any other difference means the two lists are out of step: stop.
      if String(decoding: storedName, as: UTF8.self) == String(decoding: nameBytes, as: UTF8.self) {
        nameBytes = storedName
      } else {
        zipNames = nil
      }
    }
    let type = archive_entry_filetype(entry) & FileType.mask
    let isHardlink = archive_entry_hardlink(entry) != nil
    let isDirectory = type == FileType.directory && !isHardlink
    let name = try MemberName.forReading(nameBytes, isDirectory: isDirectory)
    let shownName: String
    switch name {
    case .path(let path): shownName = path
    case .root: shownName = "."
    }
    if isHardlink {
      throw ArchiveError.unsupportedMemberType(name: shownName, type: "hard link")
    }
    guard type == FileType.regular || type == FileType.directory else {
      throw ArchiveError.unsupportedMemberType(name: shownName, type: FileType.name(of: type))
    }
    guard case .path(let path) = name else { return nil }
    let size: Int64? =
      if isDirectory { 0 } else if archive_entry_size_is_set(entry) != 0 { archive_entry_size(entry) } else { nil }
    return ArchiveMember(
      path: path,
      kind: isDirectory ? .directory : .file,
      size: size,
      mode: UInt32(archive_entry_perm(entry)) & 0o7777,
      mtime: Int64(archive_entry_mtime(entry)))
  }

  private func detectedFormat() -> ArchiveFormat? {
    let base = archive_format(archive) & ARCHIVE_FORMAT_BASE_MASK
    if base == ARCHIVE_FORMAT_ZIP { return .zip }
    guard base == ARCHIVE_FORMAT_TAR else { return nil }
    switch archive_filter_code(archive, 0) {
    case ARCHIVE_FILTER_NONE: return .tar
    case ARCHIVE_FILTER_GZIP: return .tarGzip
    case ARCHIVE_FILTER_ZSTD: return .tarZstd
    case ARCHIVE_FILTER_XZ: return .tarXz
    default: return nil
    }
  }

  // MARK: - Data

  /// Reads the next bytes of the current file into `buffer`; returns 0 at the member's end (and
  /// always for a directory).
  ///
  /// - Throws: `.noCurrentFile` before `next()`, `.sizeMismatch` when the data does not match
  ///   the header's size, or `.library` for corrupt or truncated data (a bad CRC or checksum).
  ///
  /// Wraps `archive_read_data`.
  public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    guard var current else { throw ArchiveError.noCurrentFile }
    guard current.member.kind == .file, let base = buffer.baseAddress, !buffer.isEmpty else {
      return 0
    }
    let count = locale.run { archive_read_data(archive, base, buffer.count) }
    if count < 0 {
      // Even ARCHIVE_WARN: no data came with it, so it cannot be passed over.
      try check(Int32(truncatingIfNeeded: count), "archive_read_data", warningIsError: true)
    }
    current.bytesRead += Int64(count)
    self.current = current
    // libarchive already stops at the header's size and fails on early EOF; this catches a
    // format or library that does neither (and zip sizes given only in a data descriptor).
    if let size = current.member.size,
      current.bytesRead > size || (count == 0 && current.bytesRead != size)
    {
      throw ArchiveError.sizeMismatch(path: current.member.path, declared: size, written: current.bytesRead)
    }
    return count
  }

  /// Streams the rest of the current file to `body`, one chunk at a time, through one reused
  /// buffer of 256 KiB: a member is never held in memory whole.
  ///
  /// The chunk is only valid during the call. An error from `body` stops the loop and is
  /// rethrown as is.
  ///
  /// Wraps `archive_read_data`.
  public func forEachChunk(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
    let buffer: UnsafeMutableRawBufferPointer
    if let chunk {
      buffer = chunk
    } else {
      buffer = .allocate(byteCount: Self.chunkSize, alignment: 16)
      chunk = buffer
    }
    while true {
      let count = try read(into: buffer)
      if count == 0 { return }
      try body(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
    }
  }

  // MARK: - Helpers

  private static func isRegularFile(_ fd: Int32) -> Bool {
    var info = stat()
    return fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
  }

  /// Maps a libarchive status to success (OK, or WARN unless `warningIsError`) or a thrown error.
  ///
  /// An error from the input wins over libarchive's message, which would only say that a read
  /// callback failed.
  private func check(_ status: Int32, _ operation: String, warningIsError: Bool = false) throws {
    if status >= ARCHIVE_OK || (!warningIsError && ArchiveError.isSuccess(status)) { return }
    if let inputError = bridge.error { throw inputError }
    throw ArchiveError.library(archive, operation: operation)
  }
}

/// `ArchiveReader` is not thread-safe: use each reader from one thread at a time.
@available(*, unavailable)
extension ArchiveReader: Sendable {}

// ArchiveKit: feeds libarchive from a file descriptor or a caller's ArchiveSource.
internal import CArchive
import DescriptorIO

#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Musl)
  internal import Musl
#elseif canImport(Darwin)
  internal import Darwin
#endif

/// The client data that `archive_read_open2` passes back to the C callbacks.
///
/// The reader owns it and frees the libarchive handle before releasing it, so the callbacks take
/// it unretained. All inputs go through these callbacks (rather than `archive_read_open_fd`) so
/// that the reader can look at the first bytes, to choose the name locale (see NameLocale.swift).
final class SourceBridge {
  /// `archive_read_callback`, spelled as a C function pointer.
  typealias ReadCallback =
    @convention(c) (
      OpaquePointer?, UnsafeMutableRawPointer?, UnsafeMutablePointer<UnsafeRawPointer?>?
    ) -> Int
  /// `archive_skip_callback`, spelled as a C function pointer.
  typealias SkipCallback = @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, Int64) -> Int64
  /// `archive_seek_callback`, spelled as a C function pointer.
  typealias SeekCallback =
    @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, Int64, Int32) -> Int64

  enum Input {
    /// A descriptor; `seekable` for regular files, where zip's central directory can be read.
    case descriptor(Int32, seekable: Bool)
    case source(any ArchiveSource)
    /// A source that can move (`SeekableArchiveSource`), read like a regular file.
    case seekable(any SeekableArchiveSource)
  }

  let input: Input
  /// Where the read callback puts bytes; libarchive reads them before asking again.
  private let buffer: UnsafeMutableRawBufferPointer
  /// The first bytes of the input, kept to recognise a zip ("PK").
  private(set) var prefix: [UInt8] = []
  /// The first input error.
  ///
  /// libarchive only learns "the callback failed", so the reader reports this one instead of
  /// libarchive's message.
  private(set) var error: ArchiveError?

  init(input: Input) {
    self.input = input
    self.buffer = .allocate(byteCount: 128 * 1024, alignment: 16)
  }

  deinit {
    buffer.deallocate()
  }

  /// The pointer to hand to libarchive.
  var context: UnsafeMutableRawPointer {
    Unmanaged.passUnretained(self).toOpaque()
  }

  /// Whether libarchive may seek: only then does it read zip archives by their central directory.
  var isSeekable: Bool {
    switch input {
    case .descriptor(_, let seekable): seekable
    case .source: false
    case .seekable: true
    }
  }

  private func fill() throws -> Int {
    switch input {
    case .descriptor(let fd, _):
      do {
        return try DescriptorIO.read(fd, into: buffer)
      } catch {
        throw ArchiveError.library(operation: "read", code: error.code, message: error.description)
      }
    case .source(let source): return try fill(from: source)
    case .seekable(let source): return try fill(from: source)
    }
  }

  private func fill(from source: any ArchiveSource) throws -> Int {
    do {
      let count = try source.read(into: buffer)
      guard (0...buffer.count).contains(count) else {
        throw ArchiveError.source(message: "read returned \(count) for a buffer of \(buffer.count) bytes")
      }
      return count
    } catch let error as ArchiveError {
      throw error
    } catch {
      throw ArchiveError.source(message: ArchiveError.message(of: error))
    }
  }

  private func read(_ pointer: UnsafeMutablePointer<UnsafeRawPointer?>?) -> Int {
    do {
      let count = try fill()
      if prefix.count < 4 { prefix += UnsafeRawBufferPointer(rebasing: buffer[..<min(count, 4)]) }
      pointer?.pointee = UnsafeRawPointer(buffer.baseAddress)
      return count
    } catch {
      if self.error == nil { self.error = error as? ArchiveError }
      return -1
    }
  }

  /// Skips forward with `lseek`; 0 makes libarchive read and discard instead.
  private func skip(_ request: Int64) -> Int64 {
    if case .seekable(let source) = input {
      let old = source.position
      guard request > 0, (try? source.seek(to: min(old + request, source.size))) != nil else { return 0 }
      return source.position - old
    }
    guard case .descriptor(let fd, true) = input, request > 0 else { return 0 }
    let old = lseek(fd, 0, SEEK_CUR)
    guard old >= 0 else { return 0 }
    let new = lseek(fd, off_t(request), SEEK_CUR)
    guard new >= 0 else { return 0 }
    return Int64(new - old)
  }

  private func seek(_ offset: Int64, _ whence: Int32) -> Int64 {
    if case .seekable(let source) = input {
      let base: Int64 =
        switch whence {
        case SEEK_CUR: source.position
        case SEEK_END: source.size
        default: 0
        }
      guard base + offset >= 0, (try? source.seek(to: base + offset)) != nil else { return Int64(ARCHIVE_FATAL) }
      return source.position
    }
    guard case .descriptor(let fd, true) = input else { return Int64(ARCHIVE_FATAL) }
    let position = lseek(fd, off_t(offset), whence)
    return position < 0 ? Int64(ARCHIVE_FATAL) : Int64(position)
  }

  private static func bridge(_ context: UnsafeMutableRawPointer) -> SourceBridge {
    Unmanaged<SourceBridge>.fromOpaque(context).takeUnretainedValue()
  }

  /// Hands libarchive the next block; -1 tells it the input failed.
  static let readCallback: ReadCallback = { _, context, pointer in
    guard let context else { return -1 }
    return bridge(context).read(pointer)
  }

  /// Skips `request` bytes of a regular file without reading them.
  static let skipCallback: SkipCallback = { _, context, request in
    guard let context else { return 0 }
    return bridge(context).skip(request)
  }

  /// Moves in a regular file, for the zip reader that starts from the central directory.
  static let seekCallback: SeekCallback = { _, context, offset, whence in
    guard let context else { return Int64(ARCHIVE_FATAL) }
    return bridge(context).seek(offset, whence)
  }
}

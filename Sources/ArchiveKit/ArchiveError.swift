// ArchiveKit: the one error type of this module.
#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// An error from writing or reading an archive.
///
/// libarchive failures are translated once, where they happen, and carry libarchive's own
/// message captured immediately (its error string is overwritten by the next call).
public enum ArchiveError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
  /// A libarchive call failed.
  ///
  /// `operation` names the C function, `code` is `archive_errno` (an `errno` value such as
  /// `ENOSPC`, or libarchive's own `ARCHIVE_ERRNO_FILE_FORMAT`/`ARCHIVE_ERRNO_MISC`), and
  /// `message` is `archive_error_string`.
  case library(operation: String, code: Int32, message: String)
  /// A member name is unsafe or malformed: empty, absolute, with a `..` component, with a NUL
  /// byte, or not UTF-8. The writer refuses to create it; the reader refuses to return it.
  case unsafeMemberName(name: String, reason: String)
  /// The reader met a member that is neither a regular file nor a directory (a symlink,
  /// hardlink, device, FIFO or socket).
  case unsupportedMemberType(name: String, type: String)
  /// A file's data did not match its declared size: the writer got fewer or more bytes than
  /// `beginFile` announced, or the reader got a different amount than the header said.
  case sizeMismatch(path: String, declared: Int64, written: Int64)
  /// A file was announced with a negative size.
  case invalidSize(path: String, size: Int64)
  /// The compression level is out of range for the format (or the format takes none).
  case invalidLevel(format: ArchiveFormat, level: Int)
  /// The caller's `ArchiveSink` threw while the writer handed it bytes.
  case sink(message: String)
  /// The caller's `ArchiveSource` threw while the reader asked it for bytes.
  case source(message: String)
  /// An input file could not be opened.
  case cannotOpen(path: String, message: String)
  /// Data was written or read with no current file: `beginFile`/`next()` came first, or the
  /// current member is finished.
  case noCurrentFile
  /// A new member or `finish()` was requested while a file's data was still being written.
  case fileStillOpen(path: String)
  /// The writer was used after `finish()`.
  case alreadyFinished

  /// One line for the user, as printed by the command line.
  public var errorDescription: String? { description }

  /// One line for the user, as printed by the command line.
  public var description: String {
    switch self {
    case .library(let operation, let code, let message):
      "archive error: \(message) (\(operation), code \(code))"
    case .unsafeMemberName(let name, let reason):
      "unsafe archive member name \"\(name)\": \(reason)"
    case .unsupportedMemberType(let name, let type):
      "unsupported archive member \"\(name)\": \(type) (only files and folders are allowed)"
    case .sizeMismatch(let path, let declared, let written):
      "size mismatch for \"\(path)\": declared \(declared) bytes, got \(written)"
    case .invalidSize(let path, let size):
      "invalid size \(size) for \"\(path)\""
    case .invalidLevel(let format, let level):
      if let range = format.compressionLevels {
        "invalid compression level \(level) for \(format): use \(range.lowerBound)–\(range.upperBound)"
      } else {
        "invalid compression level \(level): \(format) is not compressed"
      }
    case .sink(let message):
      "archive output failed: \(message)"
    case .source(let message):
      "archive input failed: \(message)"
    case .cannotOpen(let path, let message):
      "cannot open archive \"\(path)\": \(message)"
    case .noCurrentFile:
      "no current archive file to write or read data for"
    case .fileStillOpen(let path):
      "archive file \"\(path)\" is still open: call finishFile() first"
    case .alreadyFinished:
      "the archive is already finished"
    }
  }

  /// The message to keep from an error thrown by a caller's sink or source.
  static func message(of error: any Error) -> String {
    if let localized = error as? any LocalizedError, let text = localized.errorDescription {
      return text
    }
    return String(describing: error)
  }
}

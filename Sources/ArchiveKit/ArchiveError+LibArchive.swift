// ArchiveKit: turning a libarchive failure into an ArchiveError, in one place.
internal import CArchive

extension ArchiveError {
  /// Captures libarchive's current error for `archive`; call it right after the failing call,
  /// before any other call on the handle replaces the message.
  static func library(_ archive: OpaquePointer, operation: String) -> ArchiveError {
    let message = archive_error_string(archive).map { String(cString: $0) } ?? "unknown error"
    return .library(operation: operation, code: archive_errno(archive), message: message)
  }

  /// Whether a libarchive return status means success, possibly with a warning.
  ///
  /// `ARCHIVE_WARN` is success: the call did its work and left a note, for example that a name
  /// could not be converted to the current locale and was kept as stored.
  static func isSuccess(_ status: Int32) -> Bool {
    status >= ARCHIVE_WARN
  }

  /// Whether a libarchive return status leaves the handle unusable.
  static func isFatal(_ status: Int32) -> Bool {
    status <= ARCHIVE_FATAL
  }
}

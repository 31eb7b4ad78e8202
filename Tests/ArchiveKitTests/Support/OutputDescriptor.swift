// ArchiveKitTests: output descriptors for the writer under test.
import Foundation

/// Opens `url` for writing (created or truncated) and passes the descriptor to `body`.
func withOutputDescriptor<T>(_ url: URL, _ body: (Int32) throws -> T) throws -> T {
  let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
  guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
  defer { close(fd) }
  return try body(fd)
}

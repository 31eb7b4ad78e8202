// ArchiveKitTests: a scratch directory per test, removed afterwards.
import Foundation

/// Runs `body` with a fresh temporary directory and removes it afterwards, even on failure.
func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
  let url = FileManager.default.temporaryDirectory
    .appendingPathComponent("archivekit-\(UUID().uuidString)", isDirectory: true)
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: url) }
  return try body(url)
}

/// Opens `url` for writing (created or truncated) and passes the descriptor to `body`.
func withOutputDescriptor<T>(_ url: URL, _ body: (Int32) throws -> T) throws -> T {
  let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
  guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
  defer { close(fd) }
  return try body(fd)
}

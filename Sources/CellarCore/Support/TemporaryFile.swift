// CellarCore: a scratch file (an archive's own manifest copied out, an S3 archive or sidecar
// fetched) that is gone when closed, even after a SIGKILL.
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A temporary file that nothing can leave behind.
///
/// On Linux it loses its name as soon as it is open and is read back through `/proc/self/fd`,
/// so even a restore killed with SIGKILL leaves no copy in the temporary folder. Elsewhere it is
/// a named file removed by `close()`.
final class TemporaryFile: Sendable {
  /// Where readers open it.
  let path: String
  /// Where it is written.
  let handle: FileHandle
  private let named: String?

  /// Creates an empty file in the temporary folder, its name starting with `prefix`.
  init(prefix: String = "cellar-manifest") throws {
    let name = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)").path
    let descriptor = open(name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else {
      throw CellarError.failed("cannot create a temporary file in \(FileManager.default.temporaryDirectory.path)")
    }
    handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    #if os(Linux)
      unlink(name)
      path = "/proc/self/fd/\(descriptor)"
      named = nil
    #else
      path = name
      named = name
    #endif
  }

  /// Closes the file, which removes it.
  func close() {
    try? handle.close()
    if let named { unlink(named) }
  }
}

// CellarCore: the scratch copy of an archive's own manifest that a restore follows.
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
final class TemporaryManifestCopy: Sendable {
  /// Where readers open it.
  let path: String
  /// Where the copy is written.
  let handle: FileHandle
  private let named: String?

  /// Creates the empty copy in the temporary folder.
  init() throws {
    let name = FileManager.default.temporaryDirectory.appendingPathComponent(
      "cellar-manifest-\(UUID().uuidString).json"
    ).path
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

  /// Closes the copy, which removes it.
  func close() {
    try? handle.close()
    if let named { unlink(named) }
  }
}

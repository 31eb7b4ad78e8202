// CellsSandbox: file contents on disk, one file per content version.
import Foundation
import Hummingbird

/// File contents, each in its own file under `blobs/`, named by a random content id.
///
/// Uploads are written to `tmp/` first and renamed into place only once complete, so a failed
/// upload never leaves a partial blob behind a node.
struct BlobStore: Sendable {
  let blobDirectory: URL
  let tempDirectory: URL

  init(directory: URL) throws {
    blobDirectory = directory.appendingPathComponent("blobs")
    tempDirectory = directory.appendingPathComponent("tmp")
    try FileManager.default.createDirectory(at: blobDirectory, withIntermediateDirectories: true)
    // Leftovers of uploads cut by a crash or a stop are garbage.
    try? FileManager.default.removeItem(at: tempDirectory)
    try FileManager.default.createDirectory(at: tempDirectory, withIntermediateDirectories: true)
  }

  /// A fresh path for an upload in flight.
  func temporaryFile() -> URL {
    tempDirectory.appendingPathComponent(UUID().uuidString.lowercased())
  }

  /// Moves a finished temporary file into the store and returns its content id.
  func commit(_ temporary: URL) throws -> String {
    let id = UUID().uuidString.lowercased()
    try FileManager.default.moveItem(at: temporary, to: url(of: id))
    return id
  }

  /// The file holding content `id`.
  func url(of id: String) -> URL {
    blobDirectory.appendingPathComponent(id)
  }

  /// Deletes content `id`; a missing file is not an error.
  func remove(_ id: String?) {
    guard let id else { return }
    try? FileManager.default.removeItem(at: url(of: id))
  }

  /// The bytes `range` of content `id`, read in one go on the calling thread.
  ///
  /// For small contents this is much cheaper than Hummingbird's `FileIO`, whose stat, open, reads
  /// and close each hop to NIO's thread pool and back.
  func read(_ id: String, range: ClosedRange<Int>) throws -> ByteBuffer {
    let path = url(of: id).path
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { throw SandboxError.internalError("cannot open \(path): errno \(errno)") }
    defer { close(descriptor) }
    var buffer = ByteBufferAllocator().buffer(capacity: range.count)
    try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: range.count) { target in
      var done = 0
      while done < range.count {
        let count = pread(
          descriptor, target.baseAddress! + done, range.count - done, off_t(range.lowerBound + done))
        if count < 0 && errno == EINTR { continue }
        guard count > 0 else {
          throw SandboxError.internalError("cannot read \(range) of \(path): errno \(errno)")
        }
        done += count
      }
      return done
    }
    return buffer
  }
}

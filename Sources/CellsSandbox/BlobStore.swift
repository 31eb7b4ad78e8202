// CellsSandbox: file contents on disk, one file per content version.
import DescriptorIO
import Foundation
import Hummingbird

/// File contents, each in its own file under `blobs/`, named by a random content id.
///
/// Uploads are written to `tmp/` first and renamed into place only once complete, so a failed
/// upload never leaves a partial blob behind a node.
struct BlobStore: Sendable {
  /// The `blobs/` and `tmp/` folders, as paths: names joined to them by string, as
  /// `URL.appendingPathComponent` would cost a stat each to tell a folder from a file.
  let blobDirectory: String
  let tempDirectory: String

  init(directory: URL) throws {
    blobDirectory = directory.appendingPathComponent("blobs").path
    tempDirectory = directory.appendingPathComponent("tmp").path
    try FileManager.default.createDirectory(atPath: blobDirectory, withIntermediateDirectories: true)
    // Leftovers of uploads cut by a crash or a stop are garbage.
    try? FileManager.default.removeItem(atPath: tempDirectory)
    try FileManager.default.createDirectory(atPath: tempDirectory, withIntermediateDirectories: true)
  }

  /// A fresh path for an upload in flight.
  func temporaryFile() -> URL {
    URL(fileURLWithPath: tempDirectory + "/" + UUID().uuidString.lowercased(), isDirectory: false)
  }

  /// Moves a finished temporary file into the store and returns its content id.
  func commit(_ temporary: URL) throws -> String {
    let id = UUID().uuidString.lowercased()
    // A plain rename: the ids are fresh, so FileManager's checks for an existing target are moot.
    guard rename(temporary.path, path(of: id)) == 0 else {
      throw SandboxError.internalError("cannot move \(temporary.path) into the store: errno \(errno)")
    }
    return id
  }

  /// The file holding content `id`.
  func url(of id: String) -> URL {
    URL(fileURLWithPath: path(of: id), isDirectory: false)
  }

  /// The path of the file holding content `id`.
  func path(of id: String) -> String {
    blobDirectory + "/" + id
  }

  /// Deletes content `id`; a missing file is not an error.
  func remove(_ id: String?) {
    guard let id else { return }
    unlink(path(of: id))
  }

  /// The bytes `range` of content `id`, read in one go on the calling thread.
  ///
  /// For small contents this is much cheaper than Hummingbird's `FileIO`, whose stat, open, reads
  /// and close each hop to NIO's thread pool and back.
  func read(_ id: String, range: ClosedRange<Int>) throws -> ByteBuffer {
    let file = path(of: id)
    let descriptor = open(file, O_RDONLY)
    guard descriptor >= 0 else { throw SandboxError.internalError("cannot open \(file): errno \(errno)") }
    defer { close(descriptor) }
    var buffer = ByteBufferAllocator().buffer(capacity: range.count)
    try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: range.count) { target in
      let wanted = UnsafeMutableRawBufferPointer(rebasing: target[..<range.count])
      let done = try? DescriptorIO.readFully(descriptor, into: wanted, at: Int64(range.lowerBound))
      guard done == range.count else { throw SandboxError.internalError("cannot read \(range) of \(file)") }
      return range.count
    }
    return buffer
  }
}

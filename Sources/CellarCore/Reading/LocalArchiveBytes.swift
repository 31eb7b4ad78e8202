// CellarCore: an archive file on the local disk, read at offsets with pread.
import ArchiveKit
import DescriptorIO
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A local archive file, open for reading until deinit.
final class LocalArchiveBytes: ArchiveBytes {
  let name: String
  let size: Int64
  var bytesRead: Int64 { counter.bytes }

  private let descriptor: Int32
  private let counter = FileRangeSource.Counter()

  /// Opens the file at `path`.
  init(path: String) throws {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      throw ArchiveError.cannotOpen(path: path, message: String(cString: strerror(errno)))
    }
    var info = stat()
    guard fstat(descriptor, &info) == 0 else {
      let message = String(cString: strerror(errno))
      close(descriptor)
      throw ArchiveError.cannotOpen(path: path, message: message)
    }
    name = path
    size = Int64(info.st_size)
    self.descriptor = descriptor
  }

  deinit {
    close(descriptor)
  }

  func read(at offset: Int64, count: Int) throws -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: count)
    let got: Int
    do {
      got = try bytes.withUnsafeMutableBytes { try DescriptorIO.readFully(descriptor, into: $0, at: offset) }
    } catch {
      throw ArchiveError.source(message: "\(name): \(error)")
    }
    counter.add(got)
    bytes.removeLast(count - got)
    return bytes
  }

  func source(from offset: Int64) -> any ArchiveSource {
    FileRangeSource(descriptor: descriptor, offset: offset, counter: counter, owner: self)
  }
}

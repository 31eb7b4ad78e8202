// CellarCore: where the archive's bytes go: a file descriptor, counted and hashed on the way, so
// that the sidecar can record the archive's size and SHA-256 without reading it again.
import ArchiveKit
import DescriptorIO
import Foundation
import HashKit

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes archive bytes to a descriptor (a partial file, or standard output) and hashes them.
///
/// libarchive hands over 10 KiB blocks; they are gathered into 1 MiB writes, which costs a
/// hundredth of the system calls.
final class HashingFileSink: ArchiveSink {
  private let fileDescriptor: Int32
  private let name: String
  private let sha256: SHA256
  private var buffer: [UInt8] = []
  private static let bufferSize = 1 << 20
  /// Bytes written.
  private(set) var byteCount: Int64 = 0

  init(fileDescriptor: Int32, name: String) throws {
    self.fileDescriptor = fileDescriptor
    self.name = name
    sha256 = try SHA256()
    buffer.reserveCapacity(Self.bufferSize)
  }

  func write(_ bytes: UnsafeRawBufferPointer) throws {
    try sha256.update(bytes)
    byteCount += Int64(bytes.count)
    buffer.append(contentsOf: bytes)
    if buffer.count >= Self.bufferSize { try flush() }
  }

  /// Writes out what is gathered (called by `ArchiveWriter.finish()`).
  func close() throws {
    try flush()
  }

  private func flush() throws {
    try buffer.withUnsafeBytes { try writeAll($0) }
    buffer.removeAll(keepingCapacity: true)
  }

  private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
    do {
      try DescriptorIO.writeAll(fileDescriptor, bytes)
    } catch {
      throw PartialFile.Problem.io(operation: "write", path: name, message: "\(error)")
    }
  }

  /// The SHA-256 of everything written, hex.
  func digest() throws -> String { try sha256.finalize().hex }
}

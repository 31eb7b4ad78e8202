// CellarCore: the archive's bytes on their way out, counted and hashed, so that the sidecar can
// record the archive's size and SHA-256 without reading it again.
import ArchiveKit
import Foundation
import HashKit

/// Counts and hashes archive bytes, then hands them on in 1 MiB pieces.
///
/// libarchive hands over 10 KiB blocks; gathering them costs the file, the encryption or the
/// upload behind a hundredth of the calls. The size and digest are those of the plain archive,
/// before any encryption: what `age -d` gives back, and what every reader of the archive sees.
final class HashingSink: ArchiveSink {
  private let downstream: ArchiveBytesOut
  private let sha256: SHA256
  private var buffer: [UInt8] = []
  private static let bufferSize = 1 << 20
  /// Bytes written.
  private(set) var byteCount: Int64 = 0

  init(downstream: ArchiveBytesOut) throws {
    self.downstream = downstream
    sha256 = try SHA256()
    buffer.reserveCapacity(Self.bufferSize)
  }

  func write(_ bytes: UnsafeRawBufferPointer) throws {
    try sha256.update(bytes)
    byteCount += Int64(bytes.count)
    buffer.append(contentsOf: bytes)
    if buffer.count >= Self.bufferSize { try flush() }
  }

  /// Hands on what is gathered, then ends the stream (called by `ArchiveWriter.finish()`).
  func close() throws {
    try flush()
    try downstream.finish()
  }

  private func flush() throws {
    try buffer.withUnsafeBytes { try downstream.write($0) }
    buffer.removeAll(keepingCapacity: true)
  }

  /// The SHA-256 of everything written, hex.
  func digest() throws -> String { try sha256.finalize().hex }
}

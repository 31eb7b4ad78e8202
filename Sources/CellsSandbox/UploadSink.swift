// CellsSandbox: writes an upload body to a temporary file, hashing it as it streams.
import DescriptorIO
import Foundation
import HashKit

/// Receives an upload body piece by piece: decodes `aws-chunked` when asked, writes the bytes to a
/// temporary file and computes, on the same pass, the MD5 (S3 ETag), the SHA-256 (to check a signed
/// payload hash), the Cells content hash and the per-block MD5s a multipart part contributes to the
/// final Cells hash (docs/cells-protocol.md, "Content hash").
///
/// Nothing is held in memory beyond the current piece.
final class UploadSink {
  let file: URL
  /// The temporary file, open for writing; written with plain `write(2)` calls, as FileManager's
  /// `createFile` and `FileHandle` cost several extra system calls and a copy per piece.
  private let descriptor: Int32
  private var isOpen = true
  private var chunked: AWSChunkedDecoder?
  private let md5: MD5
  private let sha256: SHA256
  private let crc32Wanted: Bool
  private var crc32 = CRC32()
  private let cellsHash: CellsContentHash
  private var blockMD5: MD5
  private var bytesInBlock = 0
  private var blockDigests: [String] = []
  private(set) var size: Int64 = 0

  /// Results of a finished upload.
  struct Result {
    let size: Int64
    let md5: String
    let sha256: String
    let cellsHash: String
    /// Hex MD5 of each 10 MiB block, in order (one, possibly empty, at least).
    let blockDigests: [String]
    let crc32Base64: String?
    let trailers: [String: String]
  }

  init(file: URL, awsChunked: Bool, wantsCRC32: Bool) throws {
    self.file = file
    descriptor = open(file.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
    guard descriptor >= 0 else {
      throw SandboxError.internalError("cannot create \(file.path)")
    }
    chunked = awsChunked ? AWSChunkedDecoder() : nil
    md5 = try MD5()
    sha256 = try SHA256()
    cellsHash = try CellsContentHash()
    blockMD5 = try MD5()
    crc32Wanted = wantsCRC32
  }

  deinit {
    try? closeFile()
  }

  /// Feeds received (possibly still encoded) bytes.
  func write(_ bytes: UnsafeRawBufferPointer) throws {
    if chunked != nil {
      let decoded = try chunked!.decode(bytes)
      try decoded.withUnsafeBytes { try consume($0) }
    } else {
      try consume(bytes)
    }
  }

  private func consume(_ bytes: UnsafeRawBufferPointer) throws {
    guard bytes.count > 0 else { return }
    do {
      try DescriptorIO.writeAll(descriptor, bytes)
    } catch {
      throw SandboxError.internalError("cannot write \(file.path): \(error)")
    }
    try md5.update(bytes)
    try sha256.update(bytes)
    try cellsHash.update(bytes)
    if crc32Wanted { crc32.update(bytes) }
    var rest = bytes[...]
    while !rest.isEmpty {
      if bytesInBlock == CellsContentHash.blockSize { try closeBlock() }
      let take = min(rest.count, CellsContentHash.blockSize - bytesInBlock)
      try blockMD5.update(UnsafeRawBufferPointer(rebasing: rest.prefix(take)))
      bytesInBlock += take
      rest = rest.dropFirst(take)
    }
    size += Int64(bytes.count)
  }

  private func closeBlock() throws {
    blockDigests.append(try blockMD5.finalize().hex)
    bytesInBlock = 0
  }

  /// Closes the file and returns the sizes and digests.
  ///
  /// Throws when an `aws-chunked` body ended before its final chunk.
  func finish() throws -> Result {
    try closeFile()
    if let chunked, !chunked.isComplete {
      throw SandboxError.badInput("aws-chunked body ended early")
    }
    try closeBlock()
    return Result(
      size: size, md5: try md5.finalize().hex, sha256: try sha256.finalize().hex,
      cellsHash: try cellsHash.finalize().hex, blockDigests: blockDigests,
      crc32Base64: crc32Wanted ? crc32.base64 : nil, trailers: chunked?.trailers ?? [:])
  }

  /// Closes and deletes the temporary file (upload refused or failed).
  func discard() {
    try? closeFile()
    unlink(file.path)
  }

  private func closeFile() throws {
    guard isOpen else { return }
    isOpen = false
    guard close(descriptor) == 0 else { throw SandboxError.internalError("cannot close \(file.path): errno \(errno)") }
  }
}

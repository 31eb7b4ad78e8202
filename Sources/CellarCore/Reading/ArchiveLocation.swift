// CellarCore: an archive named on the command line: a local path or an `s3://` URL.
import ArchiveKit
import Foundation
import HashKit
import S3Kit
import Synchronization

/// Opens the archive a command names, and finds its sidecar.
enum ArchiveLocation {
  /// The bytes of `archive`: a local file, or the S3 object an `s3://BUCKET/KEY` URL names
  /// (read with `s3`).
  ///
  /// - Throws: `CellarError.usage` for an S3 URL without settings, `CellarError.failed` for an
  ///   object that cannot be opened, `ArchiveError.cannotOpen` for a local file.
  ///
  /// An archive encrypted with age is opened with the command's identities (`Keyring`), and
  /// read as the plain archive it holds.
  static func open(_ archive: String, s3: S3Settings?) throws -> any ArchiveBytes {
    let bytes: any ArchiveBytes
    if let url = try S3ObjectURL(archive) {
      guard let s3 = s3 ?? S3Access.current else {
        throw CellarError.usage("\(archive): S3 archives need S3 settings")
      }
      bytes = try RemoteArchiveBytes(url, settings: s3)
    } else {
      bytes = try LocalArchiveBytes(path: archive)
    }
    return try AgeArchiveBytes.isEncrypted(bytes) ? try AgeArchiveBytes(bytes) : bytes
  }

  /// A reader of every member of `archive` in order.
  ///
  /// A plain local file is opened by path (a zip's names then come from its central
  /// directory); others are read through `open`.
  static func reader(_ archive: String, s3: S3Settings?) throws -> ArchiveReader {
    try reader(of: try open(archive, s3: s3), path: archive)
  }

  /// A reader of every member of `bytes` (the archive at `path`) in order.
  ///
  /// A plain local file is opened by path; a zip elsewhere is read with moves, by its central
  /// directory as from a file (its names as recorded there); other archives front to back.
  static func reader(of bytes: any ArchiveBytes, path: String) throws -> ArchiveReader {
    if bytes is LocalArchiveBytes { return try ArchiveReader(path: path) }
    let zipSignature: [UInt8] = [0x50, 0x4B]
    guard try bytes.read(at: 0, count: 2) == zipSignature else {
      return try ArchiveReader(source: bytes.source(from: 0))
    }
    return try ArchiveReader(seekable: WindowedSource(bytes: bytes, offset: 0))
  }

  /// The SHA-256 of the whole (plain) archive, hex, read in 1 MiB pieces.
  static func sha256(of archive: String, s3: S3Settings?) throws -> String {
    let bytes = try open(archive, s3: s3)
    if bytes is LocalArchiveBytes, let digest = try FileDigest.sha256(ofFileAt: archive) { return digest }
    let hash = try SHA256()
    var offset: Int64 = 0
    while offset < bytes.size {
      let piece = try bytes.read(at: offset, count: 1 << 20)
      guard !piece.isEmpty else { break }
      try piece.withUnsafeBytes { try hash.update($0) }
      offset += Int64(piece.count)
    }
    return try hash.finalize().hex
  }

  /// The size of `archive`, local or on S3: of the plain archive when it is encrypted.
  ///
  /// - Throws: `CellarError.failed` when it cannot be opened.
  static func size(of archive: String, s3: S3Settings?) async throws -> Int64 {
    // Opening blocks (a HEAD, an encrypted file's header).
    try await OwnThread.run {
      do {
        return try open(archive, s3: s3).size
      } catch let error as ArchiveError {
        throw CellarError.failed("\(error)")
      }
    }
  }

  /// The sidecar of an S3 archive, `KEY.meta.json` beside it, fetched into a temporary file;
  /// nil when `archive` is local or has no sidecar object.
  static func fetchSidecar(of archive: String, s3: S3Settings?) async throws -> TemporaryFile? {
    guard let url = try S3ObjectURL(archive), let s3 = s3 ?? S3Access.current else { return nil }
    return try await RemoteDownload.fetch(url.sibling(url.key + ".meta.json"), settings: s3, prefix: "cellar-sidecar")
  }

  /// The sidecar to read for `archive`: `given`, else `ARCHIVE.meta.json` when it exists; one
  /// on S3 is fetched into a temporary file, kept until the command ends.
  static func sidecar(for archive: String, given: String?) async throws -> String? {
    let remote = try given.map { try S3ObjectURL($0) } ?? S3ObjectURL(archive).map { $0.sibling($0.key + ".meta.json") }
    guard let remote else { return try ManifestSource.sidecar(for: archive, given: given) }
    guard let s3 = S3Access.current else { throw CellarError.usage("\(remote): S3 sidecars need S3 settings") }
    guard let copy = try await RemoteDownload.fetch(remote, settings: s3, prefix: "cellar-sidecar") else {
      if given != nil { throw CellarError.usage("cannot read the sidecar \(remote): no such object") }
      return nil
    }
    fetched.withLock { $0.append(copy) }
    return copy.path
  }

  /// Sidecars fetched for the running command.
  private static let fetched = Mutex<[TemporaryFile]>([])

  /// Whether `archive` can be read: a readable file, or an existing S3 object.
  ///
  /// - Throws: `CellarError.failed` when the object's existence could not be checked (the
  ///   server kept failing): that is not absence.
  static func exists(_ archive: String) async throws -> Bool {
    guard let url = try? S3ObjectURL(archive) else { return FileManager.default.isReadableFile(atPath: archive) }
    guard let s3 = S3Access.current else { return false }
    return try await exists(url, s3: s3)
  }

  /// Whether the object at `url` exists.
  ///
  /// - Throws: `CellarError.failed` when that could not be checked: not absence.
  static func exists(_ url: S3ObjectURL, s3: S3Settings) async throws -> Bool {
    do {
      _ = try await s3.client(bucket: url.bucket).head(url.key)
      return true
    } catch S3Error.notFound {
      return false
    } catch {
      throw CellarError.failed("cannot tell whether \(url) exists: \(error)")
    }
  }
}

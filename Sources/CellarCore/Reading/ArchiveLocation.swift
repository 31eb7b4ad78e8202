// CellarCore: an archive named on the command line: a local path or an `s3://` URL.
import Foundation
import S3Kit

/// Opens the archive a command names, and finds its sidecar.
enum ArchiveLocation {
  /// The bytes of `archive`: a local file, or the S3 object an `s3://BUCKET/KEY` URL names
  /// (read with `s3`).
  ///
  /// - Throws: `CellarError.usage` for an S3 URL without settings, `CellarError.failed` for an
  ///   object that cannot be opened, `ArchiveError.cannotOpen` for a local file.
  static func open(_ archive: String, s3: S3Settings?) throws -> any ArchiveBytes {
    guard let url = try S3ObjectURL(archive) else { return try LocalArchiveBytes(path: archive) }
    guard let s3 else { throw CellarError.usage("\(archive): S3 archives need S3 settings") }
    return try RemoteArchiveBytes(url, settings: s3)
  }

  /// The size of `archive`, local or on S3.
  static func size(of archive: String, s3: S3Settings?) async throws -> Int64 {
    guard let url = try S3ObjectURL(archive) else {
      return (try? FileManager.default.attributesOfItem(atPath: archive)[.size] as? Int64) ?? -1
    }
    guard let s3 else { throw CellarError.usage("\(archive): S3 archives need S3 settings") }
    do {
      return try await s3.client(bucket: url.bucket).head(url.key).size
    } catch S3Error.notFound {
      throw CellarError.failed("\(archive): no such object")
    }
  }

  /// The sidecar of an S3 archive, `KEY.meta.json` beside it, fetched into a temporary file;
  /// nil when `archive` is local or has no sidecar object.
  static func fetchSidecar(of archive: String, s3: S3Settings?) async throws -> TemporaryFile? {
    guard let url = try S3ObjectURL(archive), let s3 else { return nil }
    return try await RemoteDownload.fetch(url.sibling(url.key + ".meta.json"), settings: s3, prefix: "cellar-sidecar")
  }
}

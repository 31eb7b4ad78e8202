// CellarCore: the backups under an S3 prefix, known by their sidecar objects, each read by two
// ranged GETs (its first and last lines), never whole.
import Foundation
import S3Kit

extension ArchiveCatalog {
  /// Reads the sidecars (`*.meta.json`) directly under `folder` (`s3://BUCKET/PREFIX/`).
  ///
  /// - Throws: `CellarError.failed` when the prefix cannot be listed, or the listing may be
  ///   incomplete (a server that cuts listings without a continuation token).
  static func scan(_ folder: S3ObjectURL, settings: S3Settings) async throws -> ArchiveCatalog {
    let client = try settings.client(bucket: folder.bucket)
    let listing: S3Listing
    do {
      listing = try await client.list(prefix: folder.key, delimiter: "/")
    } catch {
      throw CellarError.failed("cannot list \(folder): \(error)")
    }
    if listing.mayBeIncomplete {
      throw CellarError.failed(
        "\(folder): the server cut the listing without saying where it stopped; "
          + "cellar will not prune or pick a base from part of the backups")
    }
    let sidecars = listing.objects.map(\.key).filter { isSidecarName(String($0.dropFirst(folder.key.count))) }.sorted()
      .map { folder.sibling($0).description }
    return try await OwnThread.run { try read(sidecars, s3: settings) }
  }
}

// CellarCore: an S3 object copied into a temporary file (a sidecar; an archive a full restore
// reads three times).
import S3Kit

/// Fetches S3 objects into `TemporaryFile`s.
enum RemoteDownload {
  /// The object at `url` in a temporary file, or nil when there is no such object.
  ///
  /// - Throws: `CellarError.failed` when it cannot be fetched.
  static func fetch(_ url: S3ObjectURL, settings: S3Settings, prefix: String) async throws -> TemporaryFile? {
    let client = try settings.client(bucket: url.bucket)
    let file = try TemporaryFile(prefix: prefix)
    do {
      try await client.get(url.key) { chunk in try file.handle.write(contentsOf: chunk) }
      return file
    } catch S3Error.notFound {
      file.close()
      return nil
    } catch {
      file.close()
      throw CellarError.failed("\(url): \(error)")
    }
  }
}

// CellarCore: an S3 object copied into a temporary file (a sidecar; an archive a full restore
// reads three times), its writes on a thread of their own.
import S3Kit

/// Writes one S3 object into a `TemporaryFile`, off the cooperative pool (a disk write blocks).
actor RemoteDownload {
  private let executor = ThreadExecutor(name: "cellar-download")
  nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
  private let file: TemporaryFile

  private init(file: TemporaryFile) {
    self.file = file
  }

  deinit {
    executor.shutdown()
  }

  private func write(_ chunk: [UInt8]) throws {
    try file.handle.write(contentsOf: chunk)
  }

  /// The object at `url` in a temporary file, or nil when there is no such object.
  ///
  /// - Throws: `CellarError.failed` when it cannot be fetched.
  static func fetch(_ url: S3ObjectURL, settings: S3Settings, prefix: String) async throws -> TemporaryFile? {
    let client = try settings.client(bucket: url.bucket)
    let file = try TemporaryFile(prefix: prefix)
    let download = RemoteDownload(file: file)
    do {
      try await client.get(url.key) { chunk in try await download.write(chunk) }
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

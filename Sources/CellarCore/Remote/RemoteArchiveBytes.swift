// CellarCore: an archive that is an S3 object, read by ranged GETs (docs/architecture.md,
// "Seekable archives").
import ArchiveKit
import S3Kit

/// An S3 object read at offsets: each read is one ranged GET (resumed and retried by
/// `S3Client`), and every byte received is counted.
///
/// The object's ETag is taken when it is opened; a read that finds another one fails rather than
/// mix two versions of the archive. Reads block: use it from an archive reader's own thread.
final class RemoteArchiveBytes: ArchiveBytes {
  let name: String
  let size: Int64
  private(set) var bytesRead: Int64 = 0

  private let client: S3Client
  private let key: String
  private let etag: String

  /// Opens the object at `url`.
  ///
  /// - Throws: `CellarError.failed` when it does not exist or cannot be reached.
  init(_ url: S3ObjectURL, settings: S3Settings) throws {
    let client = try settings.client(bucket: url.bucket)
    let key = url.key
    let info: S3ObjectInfo
    do {
      info = try BlockingCall.run { try await client.head(key) }
    } catch S3Error.notFound {
      throw CellarError.failed("\(url): no such object")
    } catch {
      throw CellarError.failed("\(url): \(error)")
    }
    name = url.description
    size = info.size
    etag = info.etag
    self.client = client
    self.key = key
  }

  func read(at offset: Int64, count: Int) throws -> [UInt8] {
    guard count > 0, offset >= 0, offset < size else { return [] }
    let range = offset...(min(offset + Int64(count), size) - 1)
    let (client, key, etag, name) = (client, key, etag, name)
    let bytes: [UInt8]
    do {
      bytes = try BlockingCall.run {
        var received: [UInt8] = []
        received.reserveCapacity(range.count)
        try await client.get(key, range: range) { info in
          guard info.etag == etag else {
            throw ArchiveError.source(message: "\(name) changed while it was read (ETag \(info.etag), was \(etag))")
          }
        } consume: {
          received += $0
        }
        return received
      }
    } catch let error as ArchiveError {
      throw error
    } catch {
      // The object could not be fetched (the retries ran out): a failure to read, not damage.
      throw CellarError.failed("\(name): \(error)")
    }
    bytesRead += Int64(bytes.count)
    return bytes
  }

  func source(from offset: Int64) -> any ArchiveSource {
    WindowedSource(bytes: self, offset: offset)
  }
}

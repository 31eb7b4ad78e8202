// S3Kit: a whole multipart upload: parts read in order from the caller, several in flight.
import HTTPKit

/// Uploads one object in parts, several in flight.
///
/// Part sizes are multiples of 10 MiB, since the Cells content hash is built from 10 MiB blocks
/// per part. Up to `concurrency` parts are in flight, so memory holds at most `concurrency + 1`
/// parts. Any failure or cancellation aborts the upload on the server.
public struct MultipartUpload: Sendable {
  /// The Cells hash block, and so the unit of every part size.
  public static let partSizeUnit: Int = 10 << 20
  /// S3's limit on the number of parts.
  public static let maxParts = 10_000

  /// The part size used for an object of `size` bytes: `preferred` rounded up to a multiple of
  /// 10 MiB, grown in 10 MiB steps until the object fits in `maxParts` parts.
  public static func partSize(for size: Int64, preferred: Int = 50 << 20) -> Int {
    var part = max(1, (preferred + partSizeUnit - 1) / partSizeUnit) * partSizeUnit
    while Int64(part) * Int64(maxParts) < size { part += partSizeUnit }
    return part
  }

  /// The client.
  public let client: S3Client
  /// Parts uploaded at once.
  public let concurrency: Int

  /// An uploader through `client`.
  public init(client: S3Client, concurrency: Int = 3) {
    self.client = client
    self.concurrency = max(1, concurrency)
  }

  /// Uploads `size` bytes to `key` and returns the object's ETag, if the server sends one.
  ///
  /// `nextPart` is called in order and must return exactly `partSize` bytes each time (fewer for
  /// the last part). `beforeCompleting` runs once every part is up and before the object is
  /// assembled: a check of the bytes sent that throws there leaves nothing on the server.
  @discardableResult
  public func upload(
    _ key: String, size: Int64, partSize: Int, contentType: String? = nil,
    nextPart: () async throws -> [UInt8], beforeCompleting: () async throws -> Void = {}
  ) async throws -> String? {
    precondition(partSize % Self.partSizeUnit == 0, "part sizes must be multiples of 10 MiB")
    let uploadID = try await client.createMultipartUpload(key, contentType: contentType, totalSize: size)
    do {
      let parts = try await uploadParts(key, uploadID: uploadID, size: size, partSize: partSize, nextPart: nextPart)
      try await beforeCompleting()
      return try await client.completeMultipartUpload(key, uploadID: uploadID, parts: parts, expectedSize: size)
    } catch {
      // Best effort, even when cancelled: a dangling upload keeps a temporary node on Cells.
      try? await Task.detached { try await client.abortMultipartUpload(key, uploadID: uploadID) }.value
      throw error
    }
  }

  private func uploadParts(
    _ key: String, uploadID: String, size: Int64, partSize: Int, nextPart: () async throws -> [UInt8]
  ) async throws -> [S3Client.Part] {
    let count = max(1, Int((size + Int64(partSize) - 1) / Int64(partSize)))
    let client = self.client
    return try await withThrowingTaskGroup(of: S3Client.Part.self) { group in
      var parts: [S3Client.Part] = []
      for number in 1...count {
        if number > concurrency, let done = try await group.next() { parts.append(done) }
        let expected = number < count ? partSize : Int(size - Int64(partSize) * Int64(count - 1))
        let bytes = try await nextPart()
        guard bytes.count == expected else {
          throw S3Error.shortBody(key: key, expected: Int64(expected), received: Int64(bytes.count))
        }
        group.addTask {
          try await client.uploadPart(key, uploadID: uploadID, number: number) { .bytes(bytes) }
        }
      }
      for try await done in group { parts.append(done) }
      return parts
    }
  }
}

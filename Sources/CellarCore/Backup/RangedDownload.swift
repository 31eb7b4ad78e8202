// CellarCore: one large file downloaded over several connections at once, handed over in order,
// so that a few big files reach the speed of many parallel downloads without staging on disk.
import S3Kit

/// Downloads an object as consecutive byte ranges, `parallel` at a time, and gives the chunks to
/// the consumer in order.
///
/// Memory holds at most `parallel` chunks downloading and the one the consumer holds. The first
/// chunk tells the object's real size (which may differ from the listing's) and its ETag; every
/// later range must come from the same version, or the download fails with
/// `S3Error.changedDuringDownload` rather than mixing two.
struct RangedDownload: Sendable {
  let s3: S3Client
  let key: String
  let chunkSize: Int64
  let parallel: Int

  /// Streams the object: `head` first, with the object's info, then each chunk in order.
  func run(
    head: (S3ObjectInfo) async throws -> Void, consume: ([UInt8]) async throws -> Void
  ) async throws {
    let first = try await fetch(0...(chunkSize - 1))
    try await head(first.info)
    try await consume(first.bytes)
    let size = first.info.size
    var next = Int64(first.bytes.count)
    var window: [Task<(bytes: [UInt8], info: S3ObjectInfo), any Error>] = []
    defer { for task in window { task.cancel() } }
    func refill() {
      while window.count < parallel && next < size {
        let range = next...(min(next + chunkSize, size) - 1)
        window.append(Task { try await fetch(range) })
        next = range.upperBound + 1
      }
    }
    refill()
    while !window.isEmpty {
      let chunk = try await window.removeFirst().value
      guard chunk.info.etag == first.info.etag else {
        throw S3Error.changedDuringDownload(key: key, expectedETag: first.info.etag, actualETag: chunk.info.etag)
      }
      refill()
      try await consume(chunk.bytes)
    }
  }

  private func fetch(_ range: ClosedRange<Int64>) async throws -> (bytes: [UInt8], info: S3ObjectInfo) {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(Int(range.count))
    let info = try await s3.get(key, range: range) { bytes += $0 }
    return (bytes, info)
  }
}

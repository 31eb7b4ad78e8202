// CellarCore: downloads a file body whole into memory, checked against the server's hash.
import CellsKit
import S3Kit

/// Reads small files ahead of the archive stage.
struct FileFetcher: Sendable {
  /// The body grew past the read-ahead limit: the archive stage streams it instead.
  struct TooLarge: Error {}

  let s3: S3Client
  let tracker: ProgressTracker
  let readAheadLimit: Int64
  /// Downloads whose bytes do not match `x-cells-hash` are tried this many times in all.
  static let hashAttempts = 3

  /// The bytes of `key` with their checksums and the check they passed.
  ///
  /// A body that passes no check against the listed `x-cells-hash` (`ContentCheck`) is
  /// downloaded again (a transfer gone wrong); after the last attempt it is returned as it is,
  /// for the archive stage to judge (the file may have changed since the listing): `consistent`
  /// when every download gave the same bytes of a file that may have gone up in parts of a size
  /// the ETag does not tell, else with no check.
  func fetchWhole(_ key: String, expected node: TreeNode) async throws -> FetchedBody {
    var attempt = 0
    var first: String?
    var agreeing = true
    while true {
      attempt += 1
      let digests = try ContentDigests()
      var bytes: [UInt8] = []
      bytes.reserveCapacity(Int(node.size))
      var size: Int64 = 0
      try await s3.get(key) { info in
        size = info.size
        try digests.follow(etag: info.etag, size: info.size)
      } consume: { chunk in
        guard Int64(bytes.count + chunk.count) <= readAheadLimit * 4 else { throw TooLarge() }
        try digests.update(chunk)
        bytes += chunk
      }
      let result = try digests.finalize()
      var body = FetchedBody(bytes: bytes, sha256: result.sha256, cellsHash: result.cellsHash)
      body.check = ContentCheck.passed(expected: node.contentHash, result)
      if body.check != nil { return body }
      agreeing = agreeing && (first ?? result.sha256) == result.sha256
      first = first ?? result.sha256
      guard attempt < Self.hashAttempts else {
        if agreeing && size > ContentCheck.smallestPart { body.check = .consistent }
        return body
      }
      tracker.update { $0.retries += 1 }
      tracker.report(.warning(path: node.path, message: "content hash mismatch; downloading again"))
    }
  }
}

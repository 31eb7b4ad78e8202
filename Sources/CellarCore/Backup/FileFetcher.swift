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

  /// The bytes of `key` with their checksums.
  ///
  /// A body that does not match the listed `x-cells-hash` is downloaded again (a transfer gone
  /// wrong); after the last attempt it is returned as it is, for the archive stage to judge (the
  /// file may have changed since the listing).
  func fetchWhole(_ key: String, expected node: TreeNode) async throws -> FetchedBody {
    var attempt = 0
    while true {
      attempt += 1
      let digests = try ContentDigests()
      var bytes: [UInt8] = []
      bytes.reserveCapacity(Int(node.size))
      try await s3.get(key) { chunk in
        guard Int64(bytes.count + chunk.count) <= readAheadLimit * 4 else { throw TooLarge() }
        try digests.update(chunk)
        bytes += chunk
      }
      let (sha256, cellsHash) = try digests.finalize()
      if let expected = node.contentHash, expected != cellsHash, attempt < Self.hashAttempts {
        tracker.update { $0.retries += 1 }
        tracker.report(.warning(path: node.path, message: "content hash mismatch; downloading again"))
        continue
      }
      return FetchedBody(bytes: bytes, sha256: sha256, cellsHash: cellsHash)
    }
  }
}

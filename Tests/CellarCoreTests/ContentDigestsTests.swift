import CellarTestSupport
import HashKit
import Testing

@testable import CellarCore

@Suite("Digests of a file's bytes, the Cells hash trailing behind large chunks")
struct ContentDigestsTests {
  /// Chunk sizes: small ones first (hashed in place), then large ones (the hash trails), then
  /// small again, crossing 10 MiB block boundaries in the middle of chunks.
  @Test(
    "streamed in chunks, the digests are those of the whole",
    arguments: [
      [0, 3, 1 << 20, 4 << 20, 7, (4 << 20) + 1, 0, 11 << 20, 5],
      [4 << 20, 4 << 20, 4 << 20, 4 << 20, 1],
      [100, 200],
    ])
  func streamed(sizes: [Int]) async throws {
    let chunks = sizes.enumerated().map { TestData.bytes(count: $0.element, seed: UInt64($0.offset)) }
    let whole = chunks.flatMap { $0 }
    let digests = try ContentDigests()
    for chunk in chunks { try await digests.updateStreaming(chunk) }
    let result = try await digests.finish()
    #expect(result.sha256 == (try SHA256.hash(whole).hex))
    #expect(result.cellsHash == (try CellsContentHash.hash(whole).hex))
    #expect(digests.byteCount == Int64(whole.count))
  }

  @Test("a long run of large chunks, some waiting for room behind the hash, keeps its order")
  func longRun() async throws {
    let chunks = (0..<8).map { TestData.bytes(count: (1 << 20) + $0, seed: UInt64(100 + $0)) }
    let trailing = TrailingCellsHash(continuing: try CellsContentHash())
    for chunk in chunks { await trailing.update(chunk) }
    #expect(try await trailing.finalize() == (try CellsContentHash.hash(chunks.flatMap { $0 }).hex))
  }
}

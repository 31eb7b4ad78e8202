// Tests for CellsContentHash against the same algorithm written with Python's hashlib.
import Foundation
import Testing

@testable import HashKit

@Suite struct CellsContentHashTests {
  static let mib = 1024 * 1024
  static let sizes = [0, 5, 10 * mib, 10 * mib + 1, 25 * mib]

  /// The reference: the hash of docs/cells-protocol.md, "Content hash", written independently in Python,
  /// over the same pattern bytes.
  static let reference = """
    import hashlib, sys
    B = 10 * 1024 * 1024
    period = bytes(range(251))
    for n in map(int, sys.argv[1:]):
        data = (period * (n // 251 + 1))[:n]
        blocks = [data[i:i + B] for i in range(0, n, B)] or [b""]
        print(hashlib.md5(b"".join(hashlib.md5(b).digest() for b in blocks)).hexdigest())
    """

  @Test func blockSizeIsTenMiB() {
    #expect(CellsContentHash.blockSize == 10_485_760)
  }

  @Test func emptyContentIsOneEmptyBlock() throws {
    // md5(md5(b"").digest())
    #expect(try CellsContentHash.hash([]).hex == "59adb24ef3cdbe0297f05b395827453f")
  }

  @Test func matchesPythonForOddChunkFeeding() throws {
    let expected = try runPython(Self.reference, arguments: Self.sizes.map(String.init))
      .split(separator: "\n").map(String.init)
    try #require(expected.count == Self.sizes.count)
    let content = patternBytes(count: Self.sizes.max()!)
    let hash = try CellsContentHash()
    for (size, want) in zip(Self.sizes, expected) {
      try feed(Array(content[..<size]), to: hash)
      #expect(hash.byteCount == Int64(size))
      #expect(try hash.finalize().hex == want, "content of \(size) bytes")
    }
  }

  @Test func chunkEndingExactlyOnABlockBoundary() throws {
    // A whole block in one call, then one byte: the block closes only when the byte arrives.
    let content = patternBytes(count: CellsContentHash.blockSize + 1)
    let expected = try runPython(Self.reference, arguments: ["\(content.count)"])
      .trimmingCharacters(in: .whitespacesAndNewlines)
    let hash = try CellsContentHash()
    try hash.update(Array(content.dropLast()))
    try hash.update([content.last!])
    #expect(try hash.finalize().hex == expected)
  }

  @Test func exactlyOneBlockHasNoTrailingEmptyBlock() throws {
    let content = patternBytes(count: CellsContentHash.blockSize)
    let oneBlock = try MD5.hash(MD5.hash(content).bytes)
    #expect(try CellsContentHash.hash(content) == oneBlock)
  }
}

// CellarCoreTests: the part sizes a multipart ETag allows, which the content check tries.
import Testing

@testable import CellarCore

@Suite("Part sizes behind a multipart ETag")
struct PartSizeCandidateTests {
  private static let mebibyte = 1 << 20

  @Test(
    "the usual client part sizes are found among those the size and part count allow",
    arguments: [
      (Int64(20 << 20), "abc-3", 8), (Int64((8 << 20) + 17), "abc-2", 8), (Int64(23 << 20), "abc-5", 5),
      (Int64(100 << 20), "abc-13", 8), (Int64(1 << 30), "abc-69", 15),
    ])
  func usualSizes(_ size: Int64, _ etag: String, _ part: Int) {
    let sizes = ContentCheck.candidatePartSizes(size: size, etag: etag)
    #expect(sizes.contains(part * Self.mebibyte), "\(sizes.map { $0 / Self.mebibyte })")
    #expect(sizes.count <= 3)
    #expect(sizes.allSatisfy { $0 % (10 * Self.mebibyte) != 0 }, "10 MiB multiples give the whole-content hash")
  }

  @Test("no candidates for a plain ETag, one part, or an empty file", arguments: ["abc", "abc-1", "abc-x", ""])
  func none(_ etag: String) {
    #expect(ContentCheck.candidatePartSizes(size: 20 << 20, etag: etag).isEmpty)
    #expect(ContentCheck.candidatePartSizes(size: 0, etag: "abc-3").isEmpty)
  }
}

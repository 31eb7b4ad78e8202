import Testing

@testable import S3Kit

@Suite("MultipartUpload part sizes")
struct MultipartUploadTests {
  static let cases: [(size: Int64, preferred: Int, expected: Int)] = [
    (45 << 20, 50 << 20, 50 << 20),
    (45 << 20, 12 << 20, 20 << 20),
    (1 << 40, 50 << 20, 110 << 20),
    (10 << 20, 1, 10 << 20),
  ]

  @Test("part sizes are multiples of 10 MiB and keep within 10,000 parts", arguments: cases)
  func partSize(size: Int64, preferred: Int, expected: Int) {
    let part = MultipartUpload.partSize(for: size, preferred: preferred)
    #expect(part == expected)
    #expect(part % MultipartUpload.partSizeUnit == 0)
    #expect(Int64(part) * Int64(MultipartUpload.maxParts) >= size)
  }
}

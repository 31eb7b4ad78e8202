// CellarCoreTests: the names a backup takes when its own is taken, locally and on S3.
import Testing

@testable import CellarCore

@Suite("Output names")
struct OutputNamingTests {
  @Test(
    "a taken name gets a number before its archive, encryption and sidecar extensions",
    arguments: [
      ("cf.tar.gz", "cf-2.tar.gz"), ("/b/cf.tar.zst.age", "/b/cf-2.tar.zst.age"),
      ("cf.tar.zst.age.meta.json", "cf-2.tar.zst.age.meta.json"),
      ("s3://bucket/nightly/cf.tar.xz.age", "s3://bucket/nightly/cf-2.tar.xz.age"),
      ("s3://bucket/cf.zip.meta.json", "s3://bucket/cf-2.zip.meta.json"), ("plain", "plain-2"),
    ])
  func numbered(_ name: String, _ expected: String) {
    #expect(OutputClaim.numbered(name, 2) == expected)
  }

  @Test("S3 object URLs: folder, name, and the lock beside them")
  func s3Names() throws {
    let url = try #require(try S3ObjectURL("s3://bucket/nightly/cf.tar.zst.age"))
    #expect(url.folderKey == "nightly/")
    #expect(url.name == "cf.tar.zst.age")
    #expect(S3Lease.url(besides: url).description == "s3://bucket/nightly/.cellar.lock")
    let top = try #require(try S3ObjectURL("s3://bucket/cf.tar"))
    #expect(top.folderKey == "")
    #expect(S3Lease.url(besides: top).description == "s3://bucket/.cellar.lock")
  }

  @Test("S3 parts start at 8 MiB and grow every 1,000 parts, past 400 GB in S3's 10,000")
  func partSizes() {
    #expect(S3UploadStream.partSize(1) == 8 << 20)
    #expect(S3UploadStream.partSize(1000) == 8 << 20)
    #expect(S3UploadStream.partSize(1001) == 16 << 20)
    let total = (1...10_000).reduce(Int64(0)) { $0 + Int64(S3UploadStream.partSize($1)) }
    #expect(total > 400_000_000_000)
  }
}

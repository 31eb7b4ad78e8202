import CellarTestSupport
import Foundation
import HTTPKit
import Testing

@testable import S3Kit

@Suite("S3Client against an independent S3 server (moto)")
struct S3ClientTests {
  let client: S3Client

  init() throws {
    let server = try MotoServer.shared.get()
    client = S3Client(
      endpoint: "http://127.0.0.1:\(server.port)", bucket: "cellar-test",
      credentials: StaticCredentials(S3Credentials(accessKey: "token", secretKey: "gatewaysecret")),
      http: try HTTPClient(), retry: .never)
  }

  static let awkwardNames = [
    "plain.txt", "with space.txt", "plus+sign", "hash#tag", "per%cent", "question?mark", "equals=sign",
    "tilde~", "caf\u{E9} NFC", "cafe\u{301} NFD", "dir/sub dir/deep.bin", ".dotfile",
  ]

  @Test("PUT, HEAD and GET round-trip every awkward name byte for byte", arguments: awkwardNames)
  func roundTrip(name: String) async throws {
    let key = "round-trip/\(name)"
    let bytes = patternBytes(count: 70_000, seed: name.utf8.count)
    try await client.put(key, contentType: "text/plain") { .bytes(bytes) }
    let info = try await client.head(key)
    #expect(info.size == 70_000)
    #expect(info.contentType == "text/plain")
    var received: [UInt8] = []
    let got = try await client.get(key) { received += $0 }
    #expect(received == bytes)
    #expect(got.etag == info.etag)
  }

  @Test("a listing shows the keys exactly as written, one level with a delimiter")
  func listing() async throws {
    for name in ["a.txt", "b c.txt", "sub/inner.txt", "sub/deeper/x", "caf\u{E9}", "cafe\u{301}"] {
      try await client.put("listing/\(name)") { .bytes(Array(name.utf8)) }
    }
    let level = try await client.list(prefix: "listing/")
    #expect(
      Set(level.objects.map(\.key)) == ["listing/a.txt", "listing/b c.txt", "listing/caf\u{E9}", "listing/cafe\u{301}"])
    #expect(level.commonPrefixes == ["listing/sub/"])
    #expect(!level.mayBeIncomplete)
    let subtree = try await client.list(prefix: "listing/sub/", delimiter: nil)
    #expect(Set(subtree.objects.map(\.key)) == ["listing/sub/inner.txt", "listing/sub/deeper/x"])
  }

  @Test("a listing cut at max-keys without a continuation says it may be incomplete")
  func cutListing() async throws {
    for index in 0..<3 { try await client.put("cut/\(index)") { .bytes([1]) } }
    let listing = try await client.list(prefix: "cut/", maxKeys: 2)
    // moto paginates properly (IsTruncated + token), so the client follows and sees all three.
    #expect(listing.objects.count == 3)
    #expect(!listing.mayBeIncomplete)
  }

  @Test("a ranged GET returns just those bytes and reports the whole size")
  func rangedGet() async throws {
    let bytes = patternBytes(count: 100_000, seed: 3)
    try await client.put("ranged.bin") { .bytes(bytes) }
    var received: [UInt8] = []
    let info = try await client.get("ranged.bin", range: 1000...1999) { received += $0 }
    #expect(received == Array(bytes[1000...1999]))
    #expect(info.size == 100_000)
  }

  @Test("HEAD and GET of a missing key are notFound")
  func missing() async throws {
    await #expect(throws: S3Error.notFound(operation: "HeadObject", key: "no/such/key")) {
      _ = try await client.head("no/such/key")
    }
    await #expect(throws: S3Error.notFound(operation: "GetObject", key: "no/such/key")) {
      try await client.get("no/such/key") { _ in }
    }
  }

  @Test("DELETE removes the object")
  func delete() async throws {
    try await client.put("to-delete") { .bytes([1, 2, 3]) }
    try await client.delete("to-delete")
    await #expect(throws: S3Error.self) { _ = try await client.head("to-delete") }
  }

  @Test("a multipart upload of 25 MiB in 10 MiB parts reads back intact")
  func multipart() async throws {
    let size = 25 << 20
    let partSize = MultipartUpload.partSize(for: Int64(size), preferred: 10 << 20)
    #expect(partSize == 10 << 20)
    let bytes = patternBytes(count: size, seed: 9)
    var offset = 0
    try await MultipartUpload(client: client, concurrency: 2).upload(
      "multi/part.bin", size: Int64(size), partSize: partSize
    ) {
      defer { offset += partSize }
      return Array(bytes[offset..<min(offset + partSize, size)])
    }
    var received: [UInt8] = []
    received.reserveCapacity(size)
    try await client.get("multi/part.bin") { received += $0 }
    #expect(received == bytes)
  }

  @Test("a failed multipart upload is aborted on the server")
  func abortOnFailure() async throws {
    struct SourceBroke: Error {}
    await #expect(throws: SourceBroke.self) {
      try await MultipartUpload(client: client).upload("multi/broken.bin", size: 30 << 20, partSize: 10 << 20) {
        throw SourceBroke()
      }
    }
    await #expect(throws: S3Error.self) { _ = try await client.head("multi/broken.bin") }
  }
}

/// Deterministic bytes for a test object.
func patternBytes(count: Int, seed: Int) -> [UInt8] {
  (0..<count).map { UInt8(truncatingIfNeeded: ($0 &* 31 &+ seed) % 251) }
}

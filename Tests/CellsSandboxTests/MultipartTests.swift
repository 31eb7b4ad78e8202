// CellsSandboxTests: multipart uploads (docs/cells-protocol.md, "Multipart uploads and ETags", "Content hash").
import CellsSandbox
import Foundation
import HashKit
import Testing

@Suite("Multipart uploads")
struct MultipartTests {
  /// Starts an upload and returns its id.
  private func create(_ sandbox: Sandbox, key: String, token: String, clearSize: Int? = nil) async throws -> String {
    var headers: [(name: String, value: String)] = [("Content-Type", "application/x-test")]
    if let clearSize { headers.append(("X-Amz-Meta-Pydio-Clear-Size", String(clearSize))) }
    let reply = try await sandbox.s3(
      "POST", key: key, query: [("uploads", nil)], token: token, headers: headers)
    let text = String(decoding: reply.body, as: UTF8.self)
    let start = try #require(text.range(of: "<UploadId>"))
    let end = try #require(text.range(of: "</UploadId>"))
    return String(text[start.upperBound..<end.lowerBound])
  }

  private func part(_ sandbox: Sandbox, key: String, id: String, number: Int, bytes: [UInt8], token: String)
    async throws -> String
  {
    let reply = try await sandbox.s3(
      "PUT", key: key, query: [("partNumber", String(number)), ("uploadId", id)], token: token,
      body: bytes, payload: .unsigned)
    return try #require(reply.headers["ETag"])
  }

  private func complete(_ sandbox: Sandbox, key: String, id: String, etags: [String], token: String) async throws -> (
    status: Int, body: String
  ) {
    let parts = etags.enumerated().map {
      "<Part><PartNumber>\($0.offset + 1)</PartNumber><ETag>\($0.element)</ETag></Part>"
    }
    let reply = try await sandbox.s3(
      "POST", key: key, query: [("uploadId", id)], token: token,
      body: Array("<CompleteMultipartUpload>\(parts.joined())</CompleteMultipartUpload>".utf8))
    return (reply.status, String(decoding: reply.body, as: UTF8.self))
  }

  @Test("Create pre-creates a temporary node sized from X-Amz-Meta-Pydio-Clear-Size")
  func temporaryNode() async throws {
    try await withSandbox { sandbox in
      let token = sandbox.token(for: "alice")
      _ = try await create(sandbox, key: "common-files/up/big.bin", token: token, clearSize: 12345)
      let node = try #require(try await sandbox.stats(#"{"NodePaths":["common-files/up/big.bin"]}"#).nodes.first)
      #expect(node["Etag"] as? String == "temporary")
      #expect(node["Size"] as? String == "12345")
    }
  }

  @Test("parts of 10 MiB give the same x-cells-hash as a single PUT, and the bytes join")
  func cellsHashOfParts() async throws {
    try await withSandbox { sandbox in
      let token = sandbox.token(for: "alice")
      var generator = SystemRandomNumberGenerator()
      let first = (0..<(10 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator) }
      let second = Array(first.prefix(3 << 20).reversed())
      let id = try await create(sandbox, key: "common-files/mp.bin", token: token)
      let e1 = try await part(sandbox, key: "common-files/mp.bin", id: id, number: 1, bytes: first, token: token)
      let e2 = try await part(sandbox, key: "common-files/mp.bin", id: id, number: 2, bytes: second, token: token)
      let done = try await complete(sandbox, key: "common-files/mp.bin", id: id, etags: [e1, e2], token: token)
      #expect(done.status == 200)
      #expect(done.body.contains("-2&quot;</ETag>") || done.body.contains("-2\"</ETag>"))
      let node = try #require(try await sandbox.stats(#"{"NodePaths":["common-files/mp.bin"]}"#).nodes.first)
      #expect(metaString(node, "x-cells-hash") == (try CellsContentHash.hash(first + second).hex))
      #expect(metaString(node, "mime") == "application/x-test")
      let back = try await sandbox.s3("GET", key: "common-files/mp.bin", token: token)
      #expect(back.body == first + second)
    }
  }

  @Test(
    "a part list's ETags are read whatever the client's XML escapes: &#34; (Go: rclone), &quot;, bare",
    arguments: ["&#34;", "&quot;", "\"", "&#x22;"])
  func escapedETags(quote: String) async throws {
    try await withSandbox { sandbox in
      let token = sandbox.token(for: "alice")
      let bytes = Array("one part\n".utf8)
      let id = try await create(sandbox, key: "common-files/esc.bin", token: token)
      let etag = try await part(sandbox, key: "common-files/esc.bin", id: id, number: 1, bytes: bytes, token: token)
      let bare = etag.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
      let done = try await complete(
        sandbox, key: "common-files/esc.bin", id: id, etags: [quote + bare + quote], token: token)
      #expect(done.status == 200, "\(done.body)")
      #expect(try await sandbox.s3("GET", key: "common-files/esc.bin", token: token).body == bytes)
    }
  }

  @Test("a part under 5 MiB that is not the last is refused with EntityTooSmall")
  func smallPart() async throws {
    try await withSandbox { sandbox in
      let token = sandbox.token(for: "alice")
      let id = try await create(sandbox, key: "common-files/s.bin", token: token)
      let e1 = try await part(sandbox, key: "common-files/s.bin", id: id, number: 1, bytes: [1, 2, 3], token: token)
      let e2 = try await part(sandbox, key: "common-files/s.bin", id: id, number: 2, bytes: [4], token: token)
      let done = try await complete(sandbox, key: "common-files/s.bin", id: id, etags: [e1, e2], token: token)
      #expect(done.status == 400)
      #expect(done.body.contains("<Code>EntityTooSmall</Code>"))
    }
  }

  @Test("ListParts lists uploaded parts; Abort removes the upload and its temporary node")
  func listAndAbort() async throws {
    try await withSandbox { sandbox in
      let token = sandbox.token(for: "alice")
      let id = try await create(sandbox, key: "common-files/a.bin", token: token)
      _ = try await part(sandbox, key: "common-files/a.bin", id: id, number: 1, bytes: [9, 9], token: token)
      let listed = try await sandbox.s3("GET", key: "common-files/a.bin", query: [("uploadId", id)], token: token)
      #expect(String(decoding: listed.body, as: UTF8.self).contains("<PartNumber>1</PartNumber>"))
      let aborted = try await sandbox.s3("DELETE", key: "common-files/a.bin", query: [("uploadId", id)], token: token)
      #expect(aborted.status == 204)
      #expect(try await sandbox.stats(#"{"NodePaths":["common-files/a.bin"]}"#).nodes.isEmpty)
      let again = try await sandbox.s3("GET", key: "common-files/a.bin", query: [("uploadId", id)], token: token)
      #expect(s3ErrorCode(again.body) == "NoSuchUpload")
    }
  }
}

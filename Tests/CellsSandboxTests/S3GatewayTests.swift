// CellsSandboxTests: the S3 gateway with requests signed by S3Kit (docs/cells-protocol.md, "S3 gateway").
import CellsSandbox
import Foundation
import HTTPKit
import HashKit
import S3Kit
import Testing

@Suite("S3 gateway")
struct S3GatewayTests {
  @Test("a wrong secret gets SignatureDoesNotMatch (403)")
  func wrongSecret() async throws {
    try await withSandbox { sandbox in
      let reply = try await sandbox.s3(
        "GET", query: [("list-type", "2")], token: sandbox.token(for: "alice"), secret: "nope")
      #expect(reply.status == 403)
      #expect(s3ErrorCode(reply.body) == "SignatureDoesNotMatch")
    }
  }

  @Test("an unknown or expired token gets AccessDenied (403)")
  func badToken() async throws {
    try await withSandbox { sandbox in
      let unknown = try await sandbox.s3("GET", key: "common-files/welcome.txt", token: "nobody")
      #expect(unknown.status == 403)
      #expect(s3ErrorCode(unknown.body) == "AccessDenied")
      try sandbox.store.expireTokens(of: "alice")
      let expired = try await sandbox.s3(
        "GET", key: "common-files/welcome.txt", token: sandbox.token(for: "alice"))
      #expect(s3ErrorCode(expired.body) == "AccessDenied")
    }
  }

  @Test("a request signed an hour ago is refused with RequestTimeTooSkewed")
  func skewed() async throws {
    try await withSandbox { sandbox in
      let reply = try await sandbox.s3(
        "GET", key: "common-files/welcome.txt", token: sandbox.token(for: "alice"),
        date: Date().addingTimeInterval(-3600))
      #expect(reply.status == 403)
      #expect(s3ErrorCode(reply.body) == "RequestTimeTooSkewed")
    }
  }

  @Test("a request signed for another region is refused")
  func wrongRegion() async throws {
    try await withSandbox { sandbox in
      let signer = SigV4Signer(accessKey: sandbox.token(for: "alice"), secretKey: "gatewaysecret", region: "eu-west-1")
      let url = sandbox.baseURL.absoluteString + "/io/common-files/welcome.txt"
      var headers = HTTPHeaders()
      for field in try signer.sign(method: "GET", url: URL(string: url)!, payload: .emptyBody, date: Date()) {
        headers.add(field.name, field.value)
      }
      let response = try await http.execute(HTTPRequest(url: url, headers: headers))
      let body = try await response.body.collect(upTo: 1 << 20)
      #expect(response.status == 400)
      #expect(s3ErrorCode(body) == "AuthorizationHeaderMalformed")
    }
  }

  @Test("an unsigned request is refused with AccessDenied")
  func unsigned() async throws {
    try await withSandbox { sandbox in
      let response = try await http.execute(
        .init(url: sandbox.baseURL.absoluteString + "/io/common-files/welcome.txt"))
      let body = try await response.body.collect(upTo: 1 << 20)
      #expect(response.status == 403)
      #expect(s3ErrorCode(body) == "AccessDenied")
    }
  }

  @Test("a body that does not match the signed x-amz-content-sha256 is refused")
  func payloadMismatch() async throws {
    try await withSandbox { sandbox in
      let reply = try await sandbox.s3(
        "PUT", key: "common-files/x.txt", token: sandbox.token(for: "alice"), body: Array("abc".utf8),
        payload: try .sha256(of: Array("abd".utf8)))
      #expect(reply.status == 400)
      #expect(s3ErrorCode(reply.body) == "XAmzContentSHA256Mismatch")
    }
  }

  @Test("PUT creates parents and a new Uuid; overwriting keeps it; mime and x-cells-hash are set")
  func putObject() async throws {
    try await withSandbox { sandbox in
      let token = sandbox.token(for: "alice")
      let content = Array("hello sandbox".utf8)
      let put = try await sandbox.s3(
        "PUT", key: "common-files/new/deep/a b#+%.txt", token: token,
        headers: [("Content-Type", "text/x-test")], body: content, payload: .unsigned)
      #expect(put.status == 200)
      #expect(put.headers["ETag"] == "\"\(try MD5.hash(content).hex)\"")
      let path = #"{"NodePaths":["common-files/new/deep","common-files/new/deep/a b#+%.txt"]}"#
      let first = try await sandbox.stats(path, as: "alice")
      #expect(first.nodes.count == 2)
      let node = try #require(first.nodes.last)
      #expect(metaString(node, "mime") == "text/x-test")
      #expect(metaString(node, "x-cells-hash") == (try CellsContentHash.hash(content).hex))
      _ = try await sandbox.s3(
        "PUT", key: "common-files/new/deep/a b#+%.txt", token: token, body: Array("v2".utf8))
      let second = try #require(try await sandbox.stats(path, as: "alice").nodes.last)
      #expect(second["Uuid"] as? String == node["Uuid"] as? String)
      #expect(second["Size"] as? String == "2")
    }
  }

  @Test("two new paths get two different Uuids")
  func newUuids() async throws {
    try await withSandbox { sandbox in
      let token = sandbox.token(for: "alice")
      _ = try await sandbox.s3("PUT", key: "common-files/a.txt", token: token, body: [1])
      _ = try await sandbox.s3("PUT", key: "common-files/b.txt", token: token, body: [1])
      let nodes = try await sandbox.stats(#"{"NodePaths":["common-files/a.txt","common-files/b.txt"]}"#).nodes
      #expect(Set(nodes.compactMap { $0["Uuid"] as? String }).count == 2)
    }
  }

  @Test("concurrent PUTs, committed together, all land; one refused does not spoil the others")
  func concurrentPuts() async throws {
    try await withSandbox { sandbox in
      let token = sandbox.token(for: "alice")
      _ = try await sandbox.s3("PUT", key: "common-files/many/sub/x.txt", token: token, body: [1])
      let keys = (0..<48).map { $0 % 2 == 0 ? "common-files/many/f\($0).txt" : "common-files/many/d\($0)/f.txt" }
      let statuses = try await withThrowingTaskGroup(of: (String, Int).self) { group in
        for (index, key) in keys.enumerated() {
          group.addTask {
            (key, try await sandbox.s3("PUT", key: key, token: token, body: Array("file \(index)".utf8)).status)
          }
        }
        // A file where a folder is: refused, amid the others.
        group.addTask {
          ("sub", try await sandbox.s3("PUT", key: "common-files/many/sub", token: token, body: [2]).status)
        }
        return try await group.reduce(into: [String: Int]()) { $0[$1.0] = $1.1 }
      }
      #expect(keys.allSatisfy { statuses[$0] == 200 })
      #expect(statuses["sub"].map { $0 >= 400 } == true)
      let paths = (keys + ["common-files/many/sub"]).map { "\"\($0)\"" }.joined(separator: ",")
      let nodes = try await sandbox.stats(#"{"NodePaths":[\#(paths)]}"#, as: "alice").nodes
      #expect(nodes.count == keys.count + 1)
      #expect(Set(nodes.compactMap { $0["Uuid"] as? String }).count == keys.count + 1)
      for (index, key) in keys.enumerated() {
        let node = nodes.first { $0["Path"] as? String == key }
        #expect(node?["Size"] as? String == "\("file \(index)".utf8.count)", "\(key)")
      }
      #expect(nodes.first { $0["Path"] as? String == "common-files/many/sub" }?["Type"] as? String == "COLLECTION")
      let bytes = try await sandbox.s3("GET", key: keys[7], token: token).body
      #expect(bytes == Array("file 7".utf8))
    }
  }

  @Test("GET honours Range, HEAD gives size and type")
  func rangeAndHead() async throws {
    try await withSandbox { sandbox in
      let token = sandbox.token(for: "alice")
      _ = try await sandbox.s3(
        "PUT", key: "common-files/r.txt", token: token, headers: [("Content-Type", "text/plain")],
        body: Array("0123456789".utf8))
      let part = try await sandbox.s3(
        "GET", key: "common-files/r.txt", token: token, headers: [("Range", "bytes=2-5")])
      #expect(part.status == 206)
      #expect(part.body == Array("2345".utf8))
      #expect(part.headers["Content-Range"] == "bytes 2-5/10")
      let tail = try await sandbox.s3(
        "GET", key: "common-files/r.txt", token: token, headers: [("Range", "bytes=-3")])
      #expect(tail.body == Array("789".utf8))
      let head = try await sandbox.s3("HEAD", key: "common-files/r.txt", token: token)
      #expect(head.headers["Content-Length"] == "10")
      #expect(head.headers["Content-Type"] == "text/plain")
      let missing = try await sandbox.s3("GET", key: "common-files/none", token: token)
      #expect(s3ErrorCode(missing.body) == "NoSuchKey")
    }
  }

  @Test("ListObjectsV2 is never truncated: max-keys cuts silently, dot-files and .pydio listed")
  func listNeverTruncated() async throws {
    try await withSandbox(seed: pagingSeed) { sandbox in
      let token = sandbox.token(for: "admin")
      let all = try await sandbox.s3(
        "GET", query: [("list-type", "2"), ("prefix", "common-files/docs/"), ("delimiter", "/")],
        token: token)
      let text = String(decoding: all.body, as: UTF8.self)
      #expect(text.contains("<Key>common-files/docs/.pydio</Key>"))
      #expect(text.contains("<Key>common-files/docs/.a-hidden</Key>"))
      #expect(text.components(separatedBy: "<Contents>").count - 1 == 13)
      let cut = try await sandbox.s3(
        "GET",
        query: [("list-type", "2"), ("prefix", "common-files/docs/"), ("delimiter", "/"), ("max-keys", "5")],
        token: token)
      let cutText = String(decoding: cut.body, as: UTF8.self)
      #expect(cutText.components(separatedBy: "<Contents>").count - 1 == 5)
      #expect(cutText.contains("<IsTruncated>false</IsTruncated>"))
      #expect(!cutText.contains("NextContinuationToken"))
    }
  }

  @Test("the root prefix lists workspaces as common prefixes; no delimiter lists recursively")
  func listShapes() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let token = sandbox.token(for: "bob")
      let root = String(
        decoding: try await sandbox.s3("GET", query: [("list-type", "2"), ("delimiter", "/")], token: token).body,
        as: UTF8.self)
      #expect(root.contains("<Prefix>projects/</Prefix>"))
      let deep = String(
        decoding: try await sandbox.s3(
          "GET", query: [("list-type", "2"), ("prefix", "common-files/Documents/Reports")], token: token
        ).body, as: UTF8.self)
      #expect(deep.contains("<Key>common-files/Documents/Reports 2024/Q1/figures.csv</Key>"))
    }
  }

  @Test("DeleteObjects is NotImplemented; DeleteObject removes for good")
  func deletes() async throws {
    try await withSandbox { sandbox in
      let token = sandbox.token(for: "admin")
      let xml = Array("<Delete><Object><Key>common-files/welcome.txt</Key></Object></Delete>".utf8)
      let batch = try await sandbox.s3(
        "POST", query: [("delete", nil)], token: token,
        headers: [("Content-MD5", Data(try MD5.hash(xml).bytes).base64EncodedString())], body: xml)
      #expect(batch.status == 501)
      #expect(s3ErrorCode(batch.body) == "NotImplemented")
      let single = try await sandbox.s3("DELETE", key: "common-files/welcome.txt", token: token)
      #expect(single.status == 204)
      let after = try await sandbox.stats(#"{"NodePaths":["common-files/welcome.txt","common-files/recycle_bin"]}"#)
      #expect(after.paths.isEmpty)
    }
  }

  @Test("writing to a read-only workspace is AccessDenied")
  func readOnlyPut() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let reply = try await sandbox.s3(
        "PUT", key: "archive/x.txt", token: sandbox.token(for: "bob"), body: [1, 2])
      #expect(s3ErrorCode(reply.body) == "AccessDenied")
    }
  }
}

@Suite("Indexing delay")
struct IndexingDelayTests {
  @Test("during the indexing delay an upload shows Etag temporary and no x-cells-hash")
  func temporaryEtag() async throws {
    var options = SandboxOptions()
    options.indexingDelay = 120  // far longer than the test, however loaded the machine
    try await withSandbox(options: options) { sandbox in
      _ = try await sandbox.s3("PUT", key: "common-files/t.txt", token: sandbox.token(for: "alice"), body: [1, 2, 3])
      let during = try #require(try await sandbox.stats(#"{"NodePaths":["common-files/t.txt"]}"#).nodes.first)
      #expect(during["Etag"] as? String == "temporary")
      #expect(metaString(during, "x-cells-hash") == nil)
    }
  }

  @Test("after the indexing delay the real Etag and x-cells-hash show")
  func indexedAfterDelay() async throws {
    var options = SandboxOptions()
    options.indexingDelay = 0.3
    try await withSandbox(options: options) { sandbox in
      _ = try await sandbox.s3("PUT", key: "common-files/t.txt", token: sandbox.token(for: "alice"), body: [1, 2, 3])
      try await Task.sleep(for: .milliseconds(500))
      let after = try #require(try await sandbox.stats(#"{"NodePaths":["common-files/t.txt"]}"#).nodes.first)
      #expect(after["Etag"] as? String == (try MD5.hash([1, 2, 3]).hex))
      #expect(metaString(after, "x-cells-hash") != nil)
    }
  }
}

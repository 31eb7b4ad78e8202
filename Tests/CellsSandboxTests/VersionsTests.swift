// CellsSandboxTests: versions (docs/cells-protocol.md, "Versions").
import CellsSandbox
import Foundation
import Testing

@Suite("Versions")
struct VersionsTests {
  @Test("each upload to a versioned datasource is listed as a version, newest first")
  func listing() async throws {
    try await withSandbox { sandbox in
      let token = sandbox.token(for: "alice")
      _ = try await sandbox.s3("PUT", key: "common-files/v.txt", token: token, body: Array("one".utf8))
      _ = try await sandbox.s3("PUT", key: "common-files/v.txt", token: token, body: Array("second".utf8))
      let reply = try await sandbox.stats(#"{"NodePaths":["common-files/v.txt"],"Versions":true}"#)
      #expect(reply.nodes.count == 2)
      #expect(reply.nodes.map { $0["Size"] as? String } == ["6", "3"])
      #expect(Set(reply.nodes.compactMap { $0["Uuid"] as? String }).count == 1)
      #expect(reply.nodes.allSatisfy { metaString($0, "versionId") != nil })
    }
  }

  @Test("GET with a versionId returns that version's bytes; an unknown one is NoSuchVersion")
  func download() async throws {
    try await withSandbox { sandbox in
      let token = sandbox.token(for: "alice")
      _ = try await sandbox.s3("PUT", key: "common-files/v.txt", token: token, body: Array("one".utf8))
      _ = try await sandbox.s3("PUT", key: "common-files/v.txt", token: token, body: Array("second".utf8))
      let versions = try await sandbox.stats(#"{"NodePaths":["common-files/v.txt"],"Versions":true}"#).nodes
      let oldest = try #require(versions.last.flatMap { metaString($0, "versionId") })
      let old = try await sandbox.s3("GET", key: "common-files/v.txt", query: [("versionId", oldest)], token: token)
      #expect(old.body == Array("one".utf8))
      #expect(old.headers["x-amz-version-id"] == oldest)
      let current = try await sandbox.s3("GET", key: "common-files/v.txt", token: token)
      #expect(current.body == Array("second".utf8))
      let unknown = try await sandbox.s3("GET", key: "common-files/v.txt", query: [("versionId", "nope")], token: token)
      #expect(s3ErrorCode(unknown.body) == "NoSuchVersion")
    }
  }

  @Test("a datasource without versioning lists no versions")
  func unversioned() async throws {
    try await withSandbox { sandbox in
      let token = sandbox.token(for: "alice")
      _ = try await sandbox.s3("PUT", key: "personal-files/v.txt", token: token, body: Array("one".utf8))
      _ = try await sandbox.s3("PUT", key: "personal-files/v.txt", token: token, body: Array("two".utf8))
      let reply = try await sandbox.stats(#"{"NodePaths":["personal-files/v.txt"],"Versions":true}"#, as: "alice")
      #expect(reply.status == 200)
      #expect(reply.nodes.isEmpty)
    }
  }
}

@Suite("CopyObject")
struct CopyObjectTests {
  @Test("CopyObject copies bytes and mime to a new path with a new Uuid")
  func copy() async throws {
    try await withSandbox { sandbox in
      let token = sandbox.token(for: "alice")
      _ = try await sandbox.s3(
        "PUT", key: "common-files/src.txt", token: token, headers: [("Content-Type", "text/plain")],
        body: Array("copy me".utf8))
      let reply = try await sandbox.s3(
        "PUT", key: "common-files/dst/copy.txt", token: token,
        headers: [("x-amz-copy-source", "/io/common-files/src.txt")])
      #expect(reply.status == 200, "\(String(decoding: reply.body, as: UTF8.self))")
      let back = try await sandbox.s3("GET", key: "common-files/dst/copy.txt", token: token)
      #expect(back.body == Array("copy me".utf8))
      #expect(back.headers["Content-Type"] == "text/plain")
      let nodes = try await sandbox.stats(#"{"NodePaths":["common-files/src.txt","common-files/dst/copy.txt"]}"#).nodes
      #expect(Set(nodes.compactMap { $0["Uuid"] as? String }).count == 2)
    }
  }

  @Test("copying a key onto itself without a version is NotImplemented")
  func selfCopy() async throws {
    try await withSandbox { sandbox in
      let reply = try await sandbox.s3(
        "PUT", key: "common-files/welcome.txt", token: sandbox.token(for: "alice"),
        headers: [("x-amz-copy-source", "io/common-files/welcome.txt")])
      #expect(s3ErrorCode(reply.body) == "NotImplemented")
    }
  }
}

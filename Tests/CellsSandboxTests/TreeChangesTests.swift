// CellsSandboxTests: create, delete, restore (docs/cells-protocol.md, "Tree changes and the recycle bin").
import CellsSandbox
import Foundation
import Testing

@Suite("Tree changes")
struct TreeChangesTests {
  @Test("create makes folders with their parents, and a LEAF gets a one-space body")
  func create() async throws {
    try await withSandbox { sandbox in
      let token = sandbox.token(for: "alice")
      let reply = try await sandbox.rest(
        "POST", "/a/tree/create", token: token,
        json:
          #"{"Nodes":[{"Path":"common-files/a/b/c","Type":"COLLECTION"},{"Path":"common-files/x/empty.txt","Type":"LEAF"}]}"#
      )
      #expect(reply.status == 200)
      let stats = try await sandbox.stats(
        #"{"NodePaths":["common-files/a","common-files/a/b/c","common-files/x/empty.txt"]}"#)
      #expect(stats.paths.count == 3)
      let leaf = try #require(stats.nodes.last)
      #expect(leaf["Size"] as? String == "1")
      let body = try await sandbox.s3("GET", key: "common-files/x/empty.txt", token: token)
      #expect(body.body == Array(" ".utf8))
    }
  }

  @Test("create with no nodes is a 500")
  func createNothing() async throws {
    try await withSandbox { sandbox in
      let reply = try await sandbox.rest(
        "POST", "/a/tree/create", token: sandbox.token(for: "alice"), json: #"{"Nodes":[]}"#)
      #expect(reply.status == 500)
    }
  }

  @Test("writing to a read-only workspace is a 403")
  func readOnly() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let reply = try await sandbox.rest(
        "POST", "/a/tree/create", token: sandbox.token(for: "bob"),
        json: #"{"Nodes":[{"Path":"archive/new","Type":"COLLECTION"}]}"#)
      #expect(reply.status == 403)
    }
  }

  @Test("delete moves to recycle_bin keeping the Uuid, and restore brings it back")
  func recycleAndRestore() async throws {
    try await withSandbox { sandbox in
      let token = sandbox.token(for: "admin")
      let before = try #require(try await sandbox.stats(#"{"NodePaths":["common-files/welcome.txt"]}"#).nodes.first)
      let deleted = try await sandbox.rest(
        "POST", "/a/tree/delete", token: token, json: #"{"Nodes":[{"Path":"common-files/welcome.txt"}]}"#)
      #expect((deleted.json["DeleteJobs"] as? [[String: Any]])?.count == 1)
      let bin = try await sandbox.stats(#"{"NodePaths":["common-files/recycle_bin/*","common-files/recycle_bin"]}"#)
      #expect(metaString(bin.nodes[0], "name") == "recycle_bin")
      #expect(bin.nodes.last?["Uuid"] as? String == before["Uuid"] as? String)
      let restored = try await sandbox.rest(
        "POST", "/a/tree/restore", token: token,
        json: #"{"Nodes":[{"Path":"common-files/recycle_bin/welcome.txt"}]}"#)
      #expect(restored.status == 200)
      let after = try await sandbox.stats(#"{"NodePaths":["common-files/welcome.txt"]}"#)
      #expect(after.nodes.first?["Uuid"] as? String == before["Uuid"] as? String)
    }
  }

  @Test("RemovePermanently deletes for good, contents included")
  func permanent() async throws {
    try await withSandbox { sandbox in
      let token = sandbox.token(for: "admin")
      _ = try await sandbox.rest(
        "POST", "/a/tree/delete", token: token,
        json: #"{"Nodes":[{"Path":"common-files/welcome.txt"}],"RemovePermanently":true}"#)
      let stats = try await sandbox.stats(#"{"NodePaths":["common-files/welcome.txt","common-files/recycle_bin"]}"#)
      #expect(stats.paths.isEmpty)
    }
  }

  @Test("a workspace root cannot be deleted")
  func workspaceRoot() async throws {
    try await withSandbox { sandbox in
      let reply = try await sandbox.rest(
        "POST", "/a/tree/delete", token: sandbox.token(for: "admin"),
        json: #"{"Nodes":[{"Path":"common-files"}]}"#)
      #expect(reply.status == 403)
    }
  }
}

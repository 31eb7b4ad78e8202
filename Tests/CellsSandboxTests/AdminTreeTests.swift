// CellsSandboxTests: the admin tree (docs/cells-protocol.md, "Admin tree").
import CellsSandbox
import Foundation
import Testing

@Suite("Admin tree")
struct AdminTreeTests {
  @Test("a non-admin gets 403 on the admin list")
  func nonAdmin() async throws {
    try await withSandbox { sandbox in
      let reply = try await sandbox.rest(
        "POST", "/a/tree/admin/list", token: sandbox.token(for: "alice"), json: #"{"Node":{"Path":"/"}}"#)
      #expect(reply.status == 403)
    }
  }

  @Test("the root lists datasources as DATASOURCE:<name> under a ROOT parent")
  func datasources() async throws {
    try await withSandbox { sandbox in
      let reply = try await sandbox.rest(
        "POST", "/a/tree/admin/list", token: sandbox.token(for: "admin"), json: #"{"Node":{"Path":"/"}}"#)
      let parent = try #require(reply.json["Parent"] as? [String: Any])
      #expect(parent["Uuid"] as? String == "ROOT")
      let children = try #require(reply.json["Children"] as? [[String: Any]])
      #expect(
        children.map { $0["Uuid"] as? String } == [
          "DATASOURCE:cellsdata", "DATASOURCE:personal", "DATASOURCE:pydiods1",
        ])
      #expect(children.allSatisfy { $0["Type"] == nil })
    }
  }

  @Test("folder listings are unfiltered: .pydio markers, dot-files and recycle bins appear")
  func unfiltered() async throws {
    try await withSandbox(seed: pagingSeed) { sandbox in
      let token = sandbox.token(for: "admin")
      _ = try await sandbox.rest(
        "POST", "/a/tree/delete", token: token, json: #"{"Nodes":[{"Path":"common-files/docs/f1.txt"}]}"#)
      let root = try await sandbox.rest(
        "POST", "/a/tree/admin/list", token: token, json: #"{"Node":{"Path":"pydiods1"}}"#)
      let rootPaths = (root.json["Children"] as? [[String: Any]] ?? []).compactMap { $0["Path"] as? String }
      #expect(rootPaths.contains("pydiods1/recycle_bin"))
      let docs = try await sandbox.rest(
        "POST", "/a/tree/admin/list", token: token, json: #"{"Node":{"Path":"pydiods1/docs"}}"#)
      let children = docs.json["Children"] as? [[String: Any]] ?? []
      let paths = children.compactMap { $0["Path"] as? String }
      #expect(paths.contains("pydiods1/docs/.pydio"))
      #expect(paths.contains("pydiods1/docs/.a-hidden"))
      let parent = try #require(docs.json["Parent"] as? [String: Any])
      #expect(docs.json["Pagination"] == nil)
      // The marker holds its folder's UUID.
      let marker = try #require(children.first { $0["Path"] as? String == "pydiods1/docs/.pydio" })
      #expect(marker["Size"] as? String == String((parent["Uuid"] as! String).utf8.count))
    }
  }

  @Test("Recursive returns every descendant with datasource paths")
  func recursive() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let reply = try await sandbox.rest(
        "POST", "/a/tree/admin/list", token: sandbox.token(for: "admin"),
        json: #"{"Node":{"Path":"pydiods1/Documents"},"Recursive":true}"#)
      let paths = (reply.json["Children"] as? [[String: Any]] ?? []).compactMap { $0["Path"] as? String }
      #expect(paths.contains("pydiods1/Documents/Reports 2024/Q1/figures.csv"))
      #expect(paths.contains("pydiods1/Documents/.hidden/secret.txt"))
    }
  }

  @Test("admin stat returns Node and Success, 404 when missing")
  func adminStat() async throws {
    try await withSandbox { sandbox in
      let token = sandbox.token(for: "admin")
      let found = try await sandbox.rest(
        "POST", "/a/tree/admin/stat", token: token, json: #"{"Node":{"Path":"personal/alice/notes.txt"}}"#)
      #expect(found.json["Success"] as? Bool == true)
      #expect((found.json["Node"] as? [String: Any])?["Path"] as? String == "personal/alice/notes.txt")
      let missing = try await sandbox.rest(
        "POST", "/a/tree/admin/stat", token: token, json: #"{"Node":{"Path":"pydiods1/nope"}}"#)
      #expect(missing.status == 404)
    }
  }
}

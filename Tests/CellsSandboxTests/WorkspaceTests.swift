// CellsSandboxTests: workspace search (docs/cells-protocol.md, "Workspaces and datasource paths").
import CellsSandbox
import Foundation
import Testing

@Suite("Workspaces")
struct WorkspaceTests {
  @Test("an admin sees every workspace with its datasource root; personal-files maps to my-files")
  func adminSearch() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let reply = try await sandbox.rest(
        "POST", "/a/workspace", token: sandbox.token(for: "admin"), json: #"{"Queries":[{"scope":"ADMIN"}]}"#)
      let workspaces = try #require(reply.json["Workspaces"] as? [[String: Any]])
      #expect(reply.json["Total"] as? Int == 4)
      let common = try #require(workspaces.first { $0["Slug"] as? String == "common-files" })
      #expect(common["RootUUIDs"] as? [String] == ["DATASOURCE:pydiods1"])
      let projects = try #require(workspaces.first { $0["Slug"] as? String == "projects" })
      let roots = try #require(projects["RootNodes"] as? [String: [String: String]])
      #expect(roots.values.first?["Path"] == "cellsdata/projects")
      let personal = try #require(workspaces.first { $0["Slug"] as? String == "personal-files" })
      #expect(personal["RootUUIDs"] as? [String] == ["my-files"])
    }
  }

  @Test("a user sees only the workspaces they can read; queries filter by slug")
  func userSearch() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let all = try await sandbox.rest("POST", "/a/workspace", token: sandbox.token(for: "alice"), json: "{}")
      let slugs = (all.json["Workspaces"] as? [[String: Any]] ?? []).compactMap { $0["Slug"] as? String }
      #expect(Set(slugs) == ["common-files", "personal-files", "projects", "archive"])
      let one = try await sandbox.rest(
        "POST", "/a/workspace", token: sandbox.token(for: "alice"), json: #"{"Queries":[{"slug":"archive"}]}"#)
      #expect((one.json["Workspaces"] as? [[String: Any]])?.count == 1)
    }
  }

  // The store keeps tokens and workspaces in memory: a change must show on the very next request.
  @Test("a workspace added while the sandbox runs is served at once, over REST and S3")
  func addedWorkspace() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let token = sandbox.token(for: "alice")
      let before = try await sandbox.s3("GET", key: "fresh/", token: token)
      #expect(s3ErrorCode(before.body) == "NoSuchKey")
      try sandbox.store.addWorkspace(
        Workspace(
          uuid: "0c0e5ab1-c0b1-4c6a-9c7e-0000000000ff", slug: "fresh", label: "Fresh",
          datasource: "cellsdata", root: "fresh"))
      let put = try await sandbox.s3("PUT", key: "fresh/note.txt", token: token, body: Array("hi".utf8))
      #expect(put.status == 200)
      let get = try await sandbox.s3("GET", key: "fresh/note.txt", token: token)
      #expect(get.body == Array("hi".utf8))
      let listed = try await sandbox.stats(#"{"NodePaths":["fresh/*"]}"#, as: "alice")
      #expect(listed.paths == ["fresh/note.txt"])
    }
  }

  @Test("a user and token added while the sandbox runs are accepted at once, until expired")
  func addedToken() async throws {
    try await withSandbox { sandbox in
      try sandbox.store.addUser(User(login: "carol", password: "carol"))
      try sandbox.store.addToken("carol-token", for: "carol")
      let accepted = try await sandbox.rest("POST", "/a/workspace", token: "carol-token", json: "{}")
      #expect(accepted.status == 200)
      let s3 = try await sandbox.s3("GET", query: [("list-type", "2")], token: "carol-token")
      #expect(s3.status == 200)
      try sandbox.store.expireTokens(of: "carol")
      let refused = try await sandbox.rest("POST", "/a/workspace", token: "carol-token", json: "{}")
      #expect(refused.status == 401)
    }
  }
}

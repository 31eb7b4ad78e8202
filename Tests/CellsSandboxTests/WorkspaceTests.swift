// CellsSandboxTests: workspace search (cells-api.md §7.5).
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
}

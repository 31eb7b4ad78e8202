// CellsSandboxTests: seeds, built in and from JSON files.
import CellsSandbox
import Foundation
import HashKit
import Testing

@Suite("Seeds")
struct SeedTests {
  @Test("the demo seed has a 1,500-child folder, a 30 MiB file, an empty folder and a zero-byte file")
  func demo() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let reply = try await sandbox.stats(
        #"{"NodePaths":["common-files/Many","common-files/Large/video-30MiB.bin","common-files/Empty folder","common-files/empty.txt"]}"#
      )
      let meta = reply.nodes[0]["MetaStore"] as? [String: String]
      #expect(meta?["ChildrenCount"] == "1500")
      #expect(reply.nodes[1]["Size"] as? String == String(30 << 20))
      #expect((reply.nodes[2]["MetaStore"] as? [String: String])?["ChildrenCount"] == "0")
      #expect(reply.nodes[3]["Size"] == nil)
      let big = try await sandbox.s3(
        "GET", key: "common-files/Large/video-30MiB.bin", token: sandbox.token(for: "admin"))
      #expect(big.body.count == 30 << 20)
      #expect(metaString(reply.nodes[1], "x-cells-hash") == (try CellsContentHash.hash(big.body).hex))
    }
  }

  @Test("a seed file gives users, workspaces, folders, text and generated files, and metadata")
  func seedFile() async throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("seed-\(UUID().uuidString).json")
    defer { try? FileManager.default.removeItem(at: file) }
    try #"""
    {"users": [{"login": "root", "password": "pw", "admin": true}, {"login": "eve"}],
     "workspaces": [{"slug": "team", "label": "Team", "datasource": "cellsdata", "root": "team",
                     "writers": ["eve"]}],
     "nodes": [{"path": "cellsdata/team/empty", "type": "folder"},
               {"path": "cellsdata/team/a.txt", "content": "hi", "mime": "text/plain",
                "meta": {"usermeta-tags": "\"x,y\""}, "bookmarkedBy": ["eve"]},
               {"path": "cellsdata/team/gen.bin", "size": 1000}]}
    """#.write(to: file, atomically: true, encoding: .utf8)
    try await withSandbox(seed: try Seed(contentsOf: file)) { sandbox in
      let reply = try await sandbox.stats(#"{"NodePaths":["team/*"]}"#, as: "eve")
      #expect(reply.paths == ["team/a.txt", "team/empty", "team/gen.bin"])
      #expect(metaString(reply.nodes[0], "usermeta-tags") == "x,y")
      #expect((reply.nodes[0]["MetaStore"] as? [String: String])?["bookmark"] == "true")
      #expect(reply.nodes[2]["Size"] as? String == "1000")
      let login = try await sandbox.rest(
        "POST", "/a/frontend/session", token: nil, json: #"{"AuthInfo":{"login":"root","password":"pw"}}"#)
      #expect(login.status == 200)
    }
  }

  @Test("generated content is deterministic: same path and size, same bytes")
  func deterministic() async throws {
    let seed = Seed(
      users: [User(login: "admin", password: "admin", isAdmin: true)],
      entries: [.file("pydiods1/g.bin", .generated(size: 4096))])
    let first = try await withSandbox(seed: seed) { sandbox in
      try await sandbox.s3("GET", key: "common-files/g.bin", token: sandbox.token(for: "admin")).body
    }
    let second = try await withSandbox(seed: seed) { sandbox in
      try await sandbox.s3("GET", key: "common-files/g.bin", token: sandbox.token(for: "admin")).body
    }
    #expect(first.count == 4096 && first == second)
  }

  @Test("a seed file with an unknown key is refused")
  func unknownKey() throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("seed-\(UUID().uuidString).json")
    defer { try? FileManager.default.removeItem(at: file) }
    try #"{"nodes": [{"path": "pydiods1/a", "kind": "folder"}]}"#.write(to: file, atomically: true, encoding: .utf8)
    #expect(throws: SandboxError.self) { try Seed(contentsOf: file) }
  }
}

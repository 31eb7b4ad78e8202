// CellsSandboxTests: state in a directory survives a restart.
import CellsSandbox
import Foundation
import Testing

@Suite("Persistence")
struct PersistenceTests {
  @Test("a sandbox restarted on the same directory serves the same tree, bytes and Uuids")
  func restart() async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-state-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    let (uuid, token) = try await withSandbox(directory: directory) { sandbox in
      let token = sandbox.token(for: "alice")
      _ = try await sandbox.s3("PUT", key: "common-files/kept/file.txt", token: token, body: Array("kept".utf8))
      let node = try #require(try await sandbox.stats(#"{"NodePaths":["common-files/kept/file.txt"]}"#).nodes.first)
      return (node["Uuid"] as! String, token)
    }
    try await withSandbox(directory: directory) { sandbox in
      let node = try #require(try await sandbox.stats(#"{"NodePaths":["common-files/kept/file.txt"]}"#).nodes.first)
      #expect(node["Uuid"] as? String == uuid)
      let body = try await sandbox.s3("GET", key: "common-files/kept/file.txt", token: token)
      #expect(body.body == Array("kept".utf8))
    }
  }

  @Test("concurrent uploads to one folder all land, with distinct Uuids")
  func concurrentWrites() async throws {
    try await withSandbox { sandbox in
      let token = sandbox.token(for: "alice")
      try await withThrowingTaskGroup(of: Int.self) { group in
        for i in 0..<40 {
          group.addTask {
            try await sandbox.s3("PUT", key: "common-files/c/deep/f\(i).txt", token: token, body: Array("\(i)".utf8))
              .status
          }
        }
        for try await status in group { #expect(status == 200) }
      }
      let listed = try await sandbox.stats(#"{"NodePaths":["common-files/c/deep/*"]}"#)
      #expect(listed.nodes.count == 40)
      #expect(Set(listed.nodes.compactMap { $0["Uuid"] as? String }).count == 40)
    }
  }
}

import CellsSandbox
import Foundation
import Testing

@testable import CellsKit

@Suite("TreeWalker against the sandbox")
struct TreeWalkerTests {
  @Test("a walk sees what the admin tree holds, dot-files included, markers and recycle bin left out")
  func completeWalk() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let clients = try await SandboxClients(sandbox)
      try await clients.rest.delete(["common-files/empty.txt"])
      var walked: [String] = []
      try await TreeWalker(client: clients.rest, s3: clients.s3, parallelism: 4).walk("common-files") {
        walked.append($0.path)
      }
      let expected = try await clients.rest.adminList("pydiods1", recursive: true)
        .filter { $0.name != ".pydio" && !$0.path.hasPrefix("pydiods1/recycle_bin") }
        .map { "common-files" + $0.path.dropFirst("pydiods1".count) }
      #expect(walked.first == "common-files")
      // Paths compare as bytes: String equality would merge the NFC and NFD "café.txt".
      let walkedBytes = walked.map { Array($0.utf8) }
      #expect(walkedBytes.count == Set(walkedBytes).count)
      #expect(Set(walkedBytes.dropFirst()) == Set(expected.map { Array($0.utf8) }))
      #expect(walked.contains("common-files/.gitignore"))
      #expect(walked.contains("common-files/Documents/.hidden/secret.txt"))
      #expect(walked.contains("common-files/Empty folder"))
      #expect(!walked.contains { $0.contains("recycle_bin") || $0.hasSuffix(".pydio") })
    }
  }

  @Test(
    "a server whose folder counts include the .pydio marker is walked whole, in user and admin context",
    arguments: [TreeWalker.Context.user, .admin])
  func markersCounted(context: TreeWalker.Context) async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let clients = try await SandboxClients(sandbox)
      let uncounted = try #require(try await clients.rest.stat("common-files/Documents")?.childrenCount)
      var counting = FaultSettings()
      counting.countsFolderMarkers = true
      sandbox.setFaults(counting)
      // The sandbox now counts the marker the listings hide, as Cells' index may.
      #expect(try await clients.rest.stat("common-files/Documents")?.childrenCount == uncounted + 1)
      let root = context == .user ? "common-files" : "pydiods1"
      var walked = 0
      try await TreeWalker(client: clients.rest, s3: context == .user ? clients.s3 : nil, context: context)
        .walk(root, unreadable: { folder, error in Issue.record("\(folder): \(error)") }) { _ in
          walked += 1
          return true
        }
      sandbox.setFaults(FaultSettings())
      var plain = 0
      try await TreeWalker(client: clients.rest, s3: context == .user ? clients.s3 : nil, context: context)
        .walk(root) { _ in plain += 1 }
      #expect(walked == plain && walked > 20)
    }
  }

  @Test("the walk is depth first and stable: the same tree gives the same order")
  func stableOrder() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let clients = try await SandboxClients(sandbox)
      var first: [String] = []
      var second: [String] = []
      try await TreeWalker(client: clients.rest, s3: clients.s3, parallelism: 1).walk("common-files/Documents") {
        first.append($0.path)
      }
      try await TreeWalker(client: clients.rest, s3: clients.s3, parallelism: 6).walk("common-files/Documents") {
        second.append($0.path)
      }
      #expect(first == second)
      // Depth first: everything under a folder comes right after it.
      for (index, path) in first.enumerated() where index > 0 {
        let parent = String(path[..<path.lastIndex(of: "/")!])
        #expect(first[..<index].contains(parent), "\(path) before its parent")
      }
    }
  }

  @Test("walking / visits every workspace the user sees")
  func allWorkspaces() async throws {
    try await withSandbox(seed: .minimal) { sandbox in
      let clients = try await SandboxClients(sandbox, login: "alice")
      var walked: [String] = []
      try await TreeWalker(client: clients.rest, s3: clients.s3).walk("/") { walked.append($0.path) }
      #expect(walked.contains("common-files/welcome.txt"))
      #expect(walked.contains("personal-files/notes.txt"))
    }
  }
}

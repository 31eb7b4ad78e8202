import CellsSandbox
import Foundation
import HTTPKit
import HashKit
import S3Kit
import Testing

@testable import CellsKit

@Suite("CellsClient against the sandbox: reading and changing the tree")
struct CellsClientTreeTests {
  @Test("a folder of 1,500 children is listed page by page, each child once")
  func pagination() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let clients = try await SandboxClients(sandbox)
      var names: [String] = []
      var pages = 0
      try await clients.rest.listFolder("common-files/Many", pageSize: 100) { page in
        pages += 1
        names += page.map(\.name)
      }
      #expect(names.count == 1500)
      #expect(Set(names).count == 1500)
      #expect(pages >= 15)
    }
  }

  @Test("hidden dot-files cause read-ahead pages whose repeats are dropped")
  func readAheadRepeats() async throws {
    var entries: [Seed.Entry] = []
    for index in 0..<30 {
      entries.append(.file("pydiods1/mixed/\(index % 3 == 0 ? "." : "")f\(index)", .text("\(index)")))
    }
    let seed = Seed(users: Seed.minimal.users, entries: entries)
    try await withSandbox(seed: seed) { sandbox in
      let clients = try await SandboxClients(sandbox)
      var names: [String] = []
      try await clients.rest.listFolder("common-files/mixed", pageSize: 4) { names += $0.map(\.name) }
      #expect(names.count == 20)
      #expect(Set(names).count == 20)
      #expect(!names.contains { $0.hasPrefix(".") })
    }
  }

  @Test("stat gives the node, or nil for a missing path")
  func stat() async throws {
    try await withSandbox(seed: .minimal) { sandbox in
      let clients = try await SandboxClients(sandbox)
      let node = try #require(try await clients.rest.stat("common-files/welcome.txt"))
      #expect(node.type == .leaf)
      #expect(node.size == 30)
      #expect(!node.uuid.isEmpty)
      #expect(node.contentHash != nil)
      #expect(try await clients.rest.stat("common-files/no such file") == nil)
    }
  }

  @Test("workspaces of a user, and the server version")
  func workspaces() async throws {
    try await withSandbox(seed: .minimal) { sandbox in
      let clients = try await SandboxClients(sandbox, login: "alice")
      let slugs = Set(try await clients.rest.workspaces().map(\.path))
      #expect(slugs.isSuperset(of: ["common-files", "personal-files"]))
      #expect(try await clients.rest.serverVersion() == SandboxOptions.emulatedVersion)
    }
  }

  @Test("folders are created with their parents, deleted to the recycle bin and restored")
  func createDeleteRestore() async throws {
    try await withSandbox(seed: .minimal) { sandbox in
      let clients = try await SandboxClients(sandbox)
      try await clients.rest.createFolders(["common-files/new/a", "common-files/new/b c"], batchSize: 1)
      #expect(try await clients.rest.stat("common-files/new")?.type == .collection)
      #expect(try await clients.rest.stat("common-files/new/b c")?.type == .collection)
      try await clients.rest.delete(["common-files/new/a"])
      #expect(try await clients.rest.stat("common-files/new/a") == nil)
      #expect(try await clients.rest.stat("common-files/recycle_bin/a") != nil)
      try await clients.rest.restoreFromRecycleBin(["common-files/recycle_bin/a"])
      #expect(try await clients.rest.stat("common-files/new/a")?.type == .collection)
    }
  }

  @Test("the admin tree shows datasources and markers; a plain user is refused")
  func adminTree() async throws {
    try await withSandbox(seed: .minimal) { sandbox in
      let admin = try await SandboxClients(sandbox)
      let roots = try await admin.rest.adminList("/")
      #expect(Set(roots.map(\.uuid)).isSuperset(of: ["DATASOURCE:pydiods1", "DATASOURCE:personal"]))
      let children = try await admin.rest.adminList("personal/alice")
      #expect(children.contains { $0.name == ".pydio" })
      #expect(children.contains { $0.name == "notes.txt" })
      #expect(try await admin.rest.adminStat("pydiods1/welcome.txt")?.type == .leaf)
      let alice = try await SandboxClients(sandbox, login: "alice")
      await #expect {
        _ = try await alice.rest.adminList("/")
      } throws: { error in
        guard let error = error as? CellsAPIError else { return false }
        if case .forbidden = error { return true }
        if case .unauthorized = error { return true }
        return false
      }
    }
  }

  @Test("an unreadable path gives a 403 error that names the path")
  func forbiddenPath() async throws {
    var options = SandboxOptions()
    options.faults.deniedPrefixes = ["common-files/secret"]
    try await withSandbox(
      seed: Seed(users: Seed.minimal.users, entries: [.file("pydiods1/secret/x.txt", .text("x"))]), options: options
    ) { sandbox in
      let clients = try await SandboxClients(sandbox)
      await #expect {
        _ = try await clients.rest.stat("common-files/secret/x.txt")
      } throws: { error in
        guard case .forbidden(_, let path, _)? = error as? CellsAPIError else { return false }
        return path == "common-files/secret/x.txt" && "\(error)".contains("common-files/secret/x.txt")
      }
    }
  }
}

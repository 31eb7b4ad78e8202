import CellsSandbox
import Foundation
import Testing

@testable import CellsKit

@Suite("CellsClient user metadata and workspace mapping")
struct CellsClientMetaTests {
  @Test("namespaces are defined, values written in batches and read back verbatim")
  func userMetaRoundTrip() async throws {
    try await withSandbox(seed: .minimal) { sandbox in
      let clients = try await SandboxClients(sandbox)
      let namespace = UserMetaNamespace(
        namespace: "usermeta-reviewer", label: "Reviewer", jsonDefinition: #"{"type":"string"}"#)
      try await clients.rest.defineUserMetaNamespaces([namespace])
      #expect(try await clients.rest.userMetaNamespaces().contains { $0.namespace == "usermeta-reviewer" })
      let node = try #require(try await clients.rest.stat("common-files/welcome.txt"))
      let values = [
        UserMeta(nodeUuid: node.uuid, namespace: "usermeta-reviewer", jsonValue: #""ada \"the\" first""#),
        UserMeta(nodeUuid: node.uuid, namespace: "bookmark", jsonValue: "true"),
      ]
      try await clients.rest.updateUserMeta(values, batchSize: 1)
      let read = try await clients.rest.userMeta(forNodes: [node.uuid])
      #expect(Set(read.map(\.namespace)) == ["usermeta-reviewer", "bookmark"])
      #expect(read.first { $0.namespace == "usermeta-reviewer" }?.jsonValue == #""ada \"the\" first""#)
      let restat = try #require(try await clients.rest.stat("common-files/welcome.txt"))
      #expect(restat.metaStore["usermeta-reviewer"] == #""ada \"the\" first""#)
    }
  }

  @Test("writing to an unknown namespace is a 404 error")
  func unknownNamespace() async throws {
    try await withSandbox(seed: .minimal) { sandbox in
      let clients = try await SandboxClients(sandbox)
      let node = try #require(try await clients.rest.stat("common-files/welcome.txt"))
      await #expect {
        try await clients.rest.updateUserMeta([
          UserMeta(nodeUuid: node.uuid, namespace: "usermeta-nope", jsonValue: "1")
        ])
      } throws: { error in
        guard case .notFound? = error as? CellsAPIError else { return false }
        return true
      }
    }
  }

  @Test("an admin datasource path maps to the workspace that exposes it; others to nothing")
  func adminMapping() async throws {
    try await withSandbox(seed: .minimal) { sandbox in
      let clients = try await SandboxClients(sandbox)
      let mapping = try await clients.rest.workspaceMapping()
      #expect(mapping.userPath(forAdminPath: "pydiods1/welcome.txt") == "common-files/welcome.txt")
      #expect(mapping.userPath(forAdminPath: "pydiods1") == "common-files")
      #expect(mapping.userPath(forAdminPath: "pydiods10/x") == nil)
      #expect(mapping.userPath(forAdminPath: "personal/alice/notes.txt") == nil)
    }
  }

  @Test("the most specific workspace root wins")
  func longestRoot() {
    let mapping = WorkspaceMapping(roots: [
      .init(slug: "common-files", adminPath: "pydiods1"),
      .init(slug: "projects", adminPath: "pydiods1/projects"),
    ])
    #expect(mapping.userPath(forAdminPath: "pydiods1/projects/a") == "projects/a")
    #expect(mapping.userPath(forAdminPath: "pydiods1/projectsX") == "common-files/projectsX")
  }
}

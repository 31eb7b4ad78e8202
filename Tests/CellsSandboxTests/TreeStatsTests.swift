// CellsSandboxTests: listing and stat in the user context (docs/cells-protocol.md, "Listing and stat").
import CellsSandbox
import Foundation
import Testing

/// A seed with a folder of ten files and two dot-files placed to fall inside the first page.
let pagingSeed = Seed(
  users: [User(login: "admin", password: "admin", isAdmin: true), User(login: "alice", password: "alice")],
  entries: [
    .file("pydiods1/docs/.a-hidden", .text("h")),
    .file("pydiods1/docs/.b-hidden", .text("h")),
  ] + (0..<10).map { .file("pydiods1/docs/f\($0).txt", .text("file \($0)")) })

@Suite("Tree stats and listing")
struct TreeStatsTests {
  @Test("/* lists the workspaces the caller can read, with ws_* metadata")
  func workspaces() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let bob = try await sandbox.stats(#"{"NodePaths":["/*"]}"#, as: "bob")
      #expect(Set(bob.paths) == ["common-files", "personal-files", "projects", "archive"])
      let projects = try #require(bob.nodes.first { $0["Path"] as? String == "projects" })
      #expect(metaString(projects, "ws_permissions") == "r")
      #expect(metaString(projects, "ws_label") == "Projects")
    }
  }

  @Test("x/* lists children but not x itself, and hides dot-files")
  func childrenHideDotFiles() async throws {
    try await withSandbox(seed: pagingSeed) { sandbox in
      let reply = try await sandbox.stats(#"{"NodePaths":["common-files/docs/*"]}"#)
      #expect(reply.paths.count == 10)
      #expect(!reply.paths.contains("common-files/docs"))
      #expect(reply.paths.allSatisfy { !$0.split(separator: "/").last!.hasPrefix(".") })
      #expect(reply.json["Pagination"] == nil)
    }
  }

  @Test("a folder given with its listing comes first")
  func folderFirst() async throws {
    try await withSandbox(seed: pagingSeed) { sandbox in
      let reply = try await sandbox.stats(#"{"NodePaths":["common-files/docs/*","common-files/docs"]}"#)
      #expect(reply.paths.first == "common-files/docs")
      #expect(reply.nodes.first?["Type"] as? String == "COLLECTION")
      let meta = reply.nodes.first?["MetaStore"] as? [String: String]
      #expect(meta?["ChildrenFiles"] == "12")
    }
  }

  @Test("a missing plain path is skipped silently")
  func missingPlainPath() async throws {
    try await withSandbox { sandbox in
      let reply = try await sandbox.stats(
        #"{"NodePaths":["common-files/nope.txt","common-files/welcome.txt"]}"#)
      #expect(reply.status == 200)
      #expect(reply.paths == ["common-files/welcome.txt"])
    }
  }

  @Test("listing a missing folder is a 404")
  func missingFolderListing() async throws {
    try await withSandbox { sandbox in
      let reply = try await sandbox.stats(#"{"NodePaths":["common-files/nope/*"]}"#)
      #expect(reply.status == 404)
      #expect(reply.json["Title"] is String)
    }
  }

  @Test("hidden files make a page over-fetch, so the next page repeats items")
  func overFetchRepeats() async throws {
    try await withSandbox(seed: pagingSeed) { sandbox in
      let first = try await sandbox.stats(#"{"NodePaths":["common-files/docs/*"],"Limit":4,"Offset":0}"#)
      // Window 0..<4 holds .a-hidden, .b-hidden, f0, f1: two visible, so 4..<8 is read too.
      #expect(first.paths.count == 6)
      let pagination = try #require(first.json["Pagination"] as? [String: Any])
      // Total is the folder's ChildrenCount, dot-files included.
      #expect(pagination["Total"] as? Int == 12)
      #expect(pagination["NextOffset"] as? Int == 4)
      #expect(pagination["CurrentOffset"] == nil)  // zero, so omitted
      let second = try await sandbox.stats(#"{"NodePaths":["common-files/docs/*"],"Limit":4,"Offset":4}"#)
      let repeated = Set(first.paths).intersection(second.paths)
      #expect(!repeated.isEmpty)
    }
  }

  @Test("paging to the end with a client's dedupe by Uuid gives every visible child once")
  func pagingDedupe() async throws {
    try await withSandbox(seed: pagingSeed) { sandbox in
      var seen: [String: String] = [:]
      var offset = 0
      while true {
        let page = try await sandbox.stats(
          #"{"NodePaths":["common-files/docs/*"],"Limit":4,"Offset":\#(offset)}"#)
        for node in page.nodes { seen[node["Uuid"] as! String] = node["Path"] as? String }
        guard let pagination = page.json["Pagination"] as? [String: Any],
          let next = pagination["NextOffset"] as? Int
        else { break }
        offset = next
      }
      #expect(seen.count == 10)
    }
  }

  @Test("GET /a/tree/stat returns the node, or 404")
  func headNode() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let token = sandbox.token(for: "alice")
      let found = try await sandbox.rest(
        "GET", "/a/tree/stat/common-files/Documents/a%20%231%2050%25%20%2B%20more.txt", token: token)
      #expect(found.status == 200)
      let node = try #require(found.json["Node"] as? [String: Any])
      #expect(node["Path"] as? String == "common-files/Documents/a #1 50% + more.txt")
      #expect(metaString(node, "mime") == "text/plain")
      let missing = try await sandbox.rest("GET", "/a/tree/stat/common-files/nope", token: token)
      #expect(missing.status == 404)
    }
  }

  @Test("NFC and NFD spellings of a name are two different nodes")
  func unicodeForms() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let reply = try await sandbox.stats(#"{"NodePaths":["common-files/Documents/*"]}"#)
      let cafes = reply.nodes.compactMap { $0["Path"] as? String }.filter {
        $0.unicodeScalars.contains("\u{E9}") || $0.unicodeScalars.contains("\u{301}")
      }
      #expect(cafes.count == 2)
      #expect(Set(cafes.map { Array($0.utf8) }).count == 2)
    }
  }

  @Test("files carry mime, x-cells-hash and user metadata; bookmarks only for their owner")
  func fileMetadata() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let path = #"{"NodePaths":["common-files/Documents/Reports 2024/summary.txt"]}"#
      let admin = try #require(try await sandbox.stats(path).nodes.first)
      #expect(metaString(admin, "usermeta-tags") == "finance,2024")
      #expect((admin["MetaStore"] as? [String: String])?["bookmark"] == "true")
      #expect(metaString(admin, "x-cells-hash")?.count == 32)
      let bob = try #require(try await sandbox.stats(path, as: "bob").nodes.first)
      #expect((bob["MetaStore"] as? [String: String])?["bookmark"] == nil)
    }
  }

  @Test("personal-files maps each user to their own folder")
  func personalFiles() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let alice = try await sandbox.stats(#"{"NodePaths":["personal-files/*"]}"#, as: "alice")
      let admin = try await sandbox.stats(#"{"NodePaths":["personal-files/*"]}"#, as: "admin")
      #expect(alice.paths == ["personal-files/notes.txt"])
      #expect(admin.paths == ["personal-files/todo.md"])
    }
  }
}

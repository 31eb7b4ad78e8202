// CellsSandboxTests: user metadata endpoints (docs/cells-protocol.md, "User metadata").
import CellsSandbox
import Foundation
import Testing

@Suite("User metadata")
struct UserMetaTests {
  private func uuid(_ sandbox: Sandbox, _ path: String, as login: String = "admin") async throws -> String {
    let node = try #require(try await sandbox.stats(#"{"NodePaths":["\#(path)"]}"#, as: login).nodes.first)
    return try #require(node["Uuid"] as? String)
  }

  private func update(_ sandbox: Sandbox, as login: String, _ json: String) async throws -> RESTReply {
    try await sandbox.rest("PUT", "/a/user-meta/update", token: sandbox.token(for: login), json: json)
  }

  @Test("namespaces list usermeta-tags and hides bookmark")
  func namespaces() async throws {
    try await withSandbox { sandbox in
      let reply = try await sandbox.rest("GET", "/a/user-meta/namespace", token: sandbox.token(for: "bob"))
      let names = (reply.json["Namespaces"] as? [[String: Any]] ?? []).compactMap { $0["Namespace"] as? String }
      #expect(names == ["usermeta-tags"])
    }
  }

  @Test("an admin can define a namespace; a non-admin gets 403; names must start with usermeta-")
  func defineNamespace() async throws {
    try await withSandbox { sandbox in
      let json =
        #"{"Operation":"PUT","Namespaces":[{"Namespace":"usermeta-note","Label":"Note","JsonDefinition":"{\"type\":\"string\"}"}]}"#
      let bob = try await sandbox.rest("PUT", "/a/user-meta/namespace", token: sandbox.token(for: "bob"), json: json)
      #expect(bob.status == 403)
      let admin = try await sandbox.rest(
        "PUT", "/a/user-meta/namespace", token: sandbox.token(for: "admin"), json: json)
      #expect(admin.status == 200)
      let bad = try await sandbox.rest(
        "PUT", "/a/user-meta/namespace", token: sandbox.token(for: "admin"),
        json: #"{"Namespaces":[{"Namespace":"note","JsonDefinition":"{}"}]}"#)
      #expect(bad.status == 500)
      let listed = try await sandbox.rest("GET", "/a/user-meta/namespace", token: sandbox.token(for: "bob"))
      #expect(listed.text.contains("usermeta-note"))
    }
  }

  @Test("PUT writes a value that shows in the node's MetaStore, with a Uuid assigned")
  func putValue() async throws {
    try await withSandbox { sandbox in
      let node = try await uuid(sandbox, "common-files/welcome.txt")
      let reply = try await update(
        sandbox, as: "alice",
        #"{"Operation":"PUT","MetaDatas":[{"NodeUuid":"\#(node)","Namespace":"usermeta-tags","JsonValue":"\"a,b\""}]}"#)
      #expect(reply.status == 200)
      #expect((reply.json["MetaDatas"] as? [[String: Any]])?.first?["Uuid"] is String)
      let stat = try #require(try await sandbox.stats(#"{"NodePaths":["common-files/welcome.txt"]}"#).nodes.first)
      #expect(metaString(stat, "usermeta-tags") == "a,b")
      let tags = try await sandbox.rest("GET", "/a/user-meta/tags/usermeta-tags", token: sandbox.token(for: "bob"))
      #expect(tags.json["Tags"] as? [String] == ["a", "b"])
    }
  }

  @Test("an unknown namespace is a 404; a missing node is a 404")
  func notFound() async throws {
    try await withSandbox { sandbox in
      let node = try await uuid(sandbox, "common-files/welcome.txt")
      let unknown = try await update(
        sandbox, as: "alice",
        #"{"MetaDatas":[{"NodeUuid":"\#(node)","Namespace":"usermeta-nope","JsonValue":"1"}]}"#)
      #expect(unknown.status == 404)
      let missing = try await update(
        sandbox, as: "alice",
        #"{"MetaDatas":[{"NodeUuid":"no-such-node","Namespace":"usermeta-tags","JsonValue":"\"x\""}]}"#)
      #expect(missing.status == 404)
    }
  }

  @Test("a tags value that is not a JSON string is refused")
  func tagsMustBeString() async throws {
    try await withSandbox { sandbox in
      let node = try await uuid(sandbox, "common-files/welcome.txt")
      let reply = try await update(
        sandbox, as: "alice",
        #"{"MetaDatas":[{"NodeUuid":"\#(node)","Namespace":"usermeta-tags","JsonValue":"[1]"}]}"#)
      #expect(reply.status == 500)
    }
  }

  @Test("writing metadata needs write permission on the node, except bookmarks")
  func permissions() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let node = try await uuid(sandbox, "archive/2019/old.txt", as: "bob")
      let tags = try await update(
        sandbox, as: "bob",
        #"{"MetaDatas":[{"NodeUuid":"\#(node)","Namespace":"usermeta-tags","JsonValue":"\"x\""}]}"#)
      #expect(tags.status == 403)
      let bookmark = try await update(
        sandbox, as: "bob",
        #"{"MetaDatas":[{"NodeUuid":"\#(node)","Namespace":"bookmark","JsonValue":"true"}]}"#)
      #expect(bookmark.status == 200)
      let bookmarks = try await sandbox.rest(
        "POST", "/a/user-meta/bookmarks", token: sandbox.token(for: "bob"), json: "{}")
      #expect(bookmarks.paths == ["archive/2019/old.txt"])
    }
  }

  @Test("a namespace whose WRITE policy excludes the caller refuses the write")
  func namespacePolicy() async throws {
    try await withSandbox { sandbox in
      _ = try await sandbox.rest(
        "PUT", "/a/user-meta/namespace", token: sandbox.token(for: "admin"),
        json:
          #"{"Namespaces":[{"Namespace":"usermeta-admins","JsonDefinition":"{\"type\":\"string\"}","Policies":[{"Action":"READ","Effect":"allow","Subject":"*"},{"Action":"WRITE","Effect":"allow","Subject":"profile:admin"}]}]}"#
      )
      let node = try await uuid(sandbox, "common-files/welcome.txt")
      let alice = try await update(
        sandbox, as: "alice",
        #"{"MetaDatas":[{"NodeUuid":"\#(node)","Namespace":"usermeta-admins","JsonValue":"\"x\""}]}"#)
      #expect(alice.status == 403)
      let admin = try await update(
        sandbox, as: "admin",
        #"{"MetaDatas":[{"NodeUuid":"\#(node)","Namespace":"usermeta-admins","JsonValue":"\"x\""}]}"#)
      #expect(admin.status == 200)
    }
  }

  @Test("a content_lock held by another user gives 423")
  func contentLock() async throws {
    try await withSandbox { sandbox in
      let node = try await uuid(sandbox, "common-files/welcome.txt")
      let lock = #"{"MetaDatas":[{"NodeUuid":"\#(node)","Namespace":"content_lock","JsonValue":"\"x\""}]}"#
      #expect(try await update(sandbox, as: "alice", lock).status == 200)
      #expect(try await update(sandbox, as: "bob", lock).status == 423)
      let stat = try #require(try await sandbox.stats(#"{"NodePaths":["common-files/welcome.txt"]}"#).nodes.first)
      #expect(metaString(stat, "content_lock") == "alice")
    }
  }

  @Test("search returns metas by node, and bookmarks only to their owner")
  func search() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let node = try await uuid(sandbox, "common-files/Documents/Reports 2024/summary.txt")
      let admin = try await sandbox.rest(
        "POST", "/a/user-meta/search", token: sandbox.token(for: "admin"), json: #"{"NodeUuids":["\#(node)"]}"#)
      let namespaces = (admin.json["Metadatas"] as? [[String: Any]] ?? []).compactMap { $0["Namespace"] as? String }
      #expect(namespaces.sorted() == ["bookmark", "usermeta-stars", "usermeta-tags"])
      let bob = try await sandbox.rest(
        "POST", "/a/user-meta/search", token: sandbox.token(for: "bob"), json: #"{"NodeUuids":["\#(node)"]}"#)
      #expect(!bob.text.contains("bookmark"))
    }
  }

  @Test("DELETE removes a value; deleting tags with anything but * is 501")
  func deletes() async throws {
    try await withSandbox { sandbox in
      let node = try await uuid(sandbox, "common-files/welcome.txt")
      let meta = #"{"NodeUuid":"\#(node)","Namespace":"usermeta-tags","JsonValue":"\"a\""}"#
      _ = try await update(sandbox, as: "alice", #"{"MetaDatas":[\#(meta)]}"#)
      _ = try await update(sandbox, as: "alice", #"{"Operation":"DELETE","MetaDatas":[\#(meta)]}"#)
      let stat = try #require(try await sandbox.stats(#"{"NodePaths":["common-files/welcome.txt"]}"#).nodes.first)
      #expect(metaString(stat, "usermeta-tags") == nil)
      let token = sandbox.token(for: "admin")
      #expect(try await sandbox.rest("DELETE", "/a/user-meta/tags/usermeta-tags/a", token: token).status == 501)
      #expect(try await sandbox.rest("DELETE", "/a/user-meta/tags/usermeta-tags/*", token: token).status == 200)
    }
  }
}

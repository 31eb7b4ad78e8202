// CellsSandboxTests: the JSON wire rules, authentication and errors, through real HTTP
// (docs/cells-protocol.md, "Wire format", "Authentication", "Errors").
import CellsSandbox
import Foundation
import Testing

@Suite("REST wire rules")
struct RESTWireTests {
  @Test("a request without a bearer token gets 401 with a Title/Detail body")
  func missingToken() async throws {
    try await withSandbox { sandbox in
      let reply = try await sandbox.rest("POST", "/a/tree/stats", token: nil, json: "{}")
      #expect(reply.status == 401)
      #expect(reply.json["Title"] is String)
      #expect(reply.json["Detail"] is String)
    }
  }

  @Test("an unknown token gets 401")
  func wrongToken() async throws {
    try await withSandbox { sandbox in
      let reply = try await sandbox.rest(
        "POST", "/a/tree/stats", token: "not-a-token", json: #"{"NodePaths":["/*"]}"#)
      #expect(reply.status == 401)
    }
  }

  @Test("an unknown input field is rejected with HTTP 500")
  func unknownField() async throws {
    try await withSandbox { sandbox in
      let reply = try await sandbox.stats(#"{"NodePaths":["common-files/*"],"Recursive":true}"#)
      #expect(reply.status == 500)
      #expect((reply.json["Title"] as? String)?.contains("Recursive") == true)
    }
  }

  @Test("int64 fields are JSON strings, int32 Pagination fields numbers, zero values omitted")
  func numberEncoding() async throws {
    try await withSandbox { sandbox in
      let reply = try await sandbox.stats(#"{"NodePaths":["common-files/welcome.txt"]}"#)
      #expect(reply.text.contains(#""Size":"30""#))
      #expect(reply.text.contains(#""MTime":""#))
      #expect(reply.text.contains(#""Type":"LEAF""#))
      // An empty folder has no Size key at all.
      _ = try await sandbox.rest(
        "POST", "/a/tree/create", token: sandbox.token(for: "admin"),
        json: #"{"Nodes":[{"Path":"common-files/empty","Type":"COLLECTION"}]}"#)
      let folder = try await sandbox.stats(#"{"NodePaths":["common-files/empty"]}"#)
      #expect(folder.nodes.first?["Size"] == nil)
      #expect(folder.nodes.first?["Etag"] == nil)
    }
  }

  @Test("int64 input is accepted as a number or a string; enums as names or numbers")
  func lenientScalars() async throws {
    try await withSandbox { sandbox in
      let reply = try await sandbox.stats(#"{"NodePaths":["common-files/*"],"Limit":"10"}"#)
      #expect(reply.status == 200)
      let created = try await sandbox.rest(
        "POST", "/a/tree/create", token: sandbox.token(for: "admin"),
        json: #"{"Nodes":[{"Path":"common-files/n","Type":2}]}"#)
      #expect(created.status == 200)
      #expect((created.json["Children"] as? [[String: Any]])?.first?["Type"] as? String == "COLLECTION")
    }
  }

  @Test("no pydio:* key is ever emitted")
  func reservedKeysStripped() async throws {
    try await withSandbox { sandbox in
      let token = sandbox.token(for: "admin")
      _ = try await sandbox.rest(
        "POST", "/a/tree/delete", token: token, json: #"{"Nodes":[{"Path":"common-files/welcome.txt"}]}"#)
      let reply = try await sandbox.stats(#"{"NodePaths":["common-files/recycle_bin/*"]}"#)
      #expect(reply.paths == ["common-files/recycle_bin/welcome.txt"])
      #expect(!reply.text.contains("pydio:"))
    }
  }

  @Test("POST /a/frontend/session returns a JWT and ExpireTime that work as a bearer token")
  func sessionLogin() async throws {
    try await withSandbox { sandbox in
      let login = try await sandbox.rest(
        "POST", "/a/frontend/session", token: nil,
        json: #"{"AuthInfo":{"login":"alice","password":"alice","type":"credentials"}}"#)
      #expect(login.status == 200)
      let jwt = try #require(login.json["JWT"] as? String)
      let expire = try #require(login.json["ExpireTime"] as? Int)
      #expect(expire > Int(Date().timeIntervalSince1970))
      let reply = try await sandbox.rest(
        "POST", "/a/tree/stats", token: jwt, json: #"{"NodePaths":["personal-files/*"]}"#)
      #expect(reply.paths == ["personal-files/notes.txt"])
    }
  }

  @Test("a wrong password is refused with 401")
  func sessionWrongPassword() async throws {
    try await withSandbox { sandbox in
      let login = try await sandbox.rest(
        "POST", "/a/frontend/session", token: nil,
        json: #"{"AuthInfo":{"login":"alice","password":"nope","type":"credentials"}}"#)
      #expect(login.status == 401)
    }
  }

  @Test("an expired session token gets 401")
  func expiredToken() async throws {
    var options = SandboxOptions()
    options.sessionLifetime = 1
    try await withSandbox(options: options) { sandbox in
      let login = try await sandbox.rest(
        "POST", "/a/frontend/session", token: nil,
        json: #"{"AuthInfo":{"login":"bob","password":"bob"}}"#)
      let jwt = try #require(login.json["JWT"] as? String)
      try sandbox.store.expireTokens(of: "bob")
      let reply = try await sandbox.rest("POST", "/a/tree/stats", token: jwt, json: "{}")
      #expect(reply.status == 401)
    }
  }

  @Test("discovery shows the version only to an authenticated caller")
  func discovery() async throws {
    try await withSandbox { sandbox in
      let anonymous = try await sandbox.rest("GET", "/a/config/discovery", token: nil)
      #expect(anonymous.status == 200)
      #expect(anonymous.json["Version"] == nil)
      let known = try await sandbox.rest(
        "GET", "/a/config/discovery", token: sandbox.token(for: "alice"))
      #expect(known.json["Version"] as? String == "4.4.0")
    }
  }
}

// CellsSandboxTests: the sandbox's own admin endpoints: run-time faults, token expiry, dump.
import CellsSandbox
import Foundation
import HTTPKit
import HashKit
import Testing

@Suite("Sandbox control")
struct ControlTests {
  @Test("the control endpoints are admin-only")
  func adminOnly() async throws {
    try await withSandbox { sandbox in
      let reply = try await sandbox.rest("POST", "/a/sandbox/faults", token: sandbox.token(for: "alice"), json: "{}")
      #expect(reply.status == 403)
    }
  }

  @Test("faults set at run time apply at once and can be turned off again")
  func runtimeFaults() async throws {
    try await withSandbox { sandbox in
      let admin = sandbox.token(for: "admin")
      _ = try await sandbox.rest("POST", "/a/sandbox/faults", token: admin, json: #"{"FailRate":1}"#)
      #expect([500, 503].contains(try await sandbox.stats(#"{"NodePaths":["/*"]}"#).status))
      _ = try await sandbox.rest("POST", "/a/sandbox/faults", token: admin, json: "{}")
      #expect(try await sandbox.stats(#"{"NodePaths":["/*"]}"#).status == 200)
    }
  }

  @Test("a denied path prefix is refused with 403 on REST and AccessDenied on S3")
  func deniedPrefix() async throws {
    try await withSandbox { sandbox in
      var settings = FaultSettings()
      settings.deniedPrefixes = ["common-files/welcome.txt"]
      sandbox.setFaults(settings)
      #expect(try await sandbox.stats(#"{"NodePaths":["common-files/welcome.txt"]}"#).status == 403)
      let get = try await sandbox.s3("GET", key: "common-files/welcome.txt", token: sandbox.token(for: "admin"))
      #expect(s3ErrorCode(get.body) == "AccessDenied")
      #expect(try await sandbox.stats(#"{"NodePaths":["personal-files/*"]}"#).status == 200)
    }
  }

  @Test("a cut GET body ends early: the client sees an error or a short body")
  func cutBody() async throws {
    try await withSandbox { sandbox in
      let token = sandbox.token(for: "admin")
      let content = [UInt8](repeating: 7, count: 1 << 20)
      _ = try await sandbox.s3("PUT", key: "common-files/big.bin", token: token, body: content)
      var settings = FaultSettings()
      settings.cutRate = 1
      sandbox.setFaults(settings)
      var received: [UInt8] = []
      do {
        received = try await sandbox.s3("GET", key: "common-files/big.bin", token: token).body
      } catch is HTTPError {
        received = []
      }
      #expect(received.count < content.count)
    }
  }

  @Test("expire-tokens makes a user's tokens fail with 401")
  func expireTokens() async throws {
    try await withSandbox { sandbox in
      _ = try await sandbox.rest(
        "POST", "/a/sandbox/expire-tokens", token: sandbox.token(for: "admin"), json: #"{"Login":"alice"}"#)
      #expect(try await sandbox.stats(#"{"NodePaths":["/*"]}"#, as: "alice").status == 401)
      #expect(try await sandbox.stats(#"{"NodePaths":["/*"]}"#, as: "bob").status == 200)
    }
  }

  @Test("the dump lists every node with its SHA-256 and metadata")
  func dump() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let reply = try await sandbox.rest("GET", "/a/sandbox/dump", token: sandbox.token(for: "admin"))
      let nodes = reply.nodes
      let summary = try #require(nodes.first { $0["Path"] as? String == "pydiods1/Documents/Reports 2024/summary.txt" })
      #expect(summary["Sha256"] as? String == (try SHA256.hash("Quarterly summary\n").hex))
      let meta = try #require(summary["MetaStore"] as? [String: String])
      #expect(meta["bookmark:alice"] == "true")
      #expect(meta["usermeta-tags"] == "\"finance,2024\"")
      #expect(nodes.contains { $0["Path"] as? String == "personal/alice/notes.txt" })
    }
  }
}

import CellsSandbox
import Foundation
import HTTPKit
import Testing

@testable import CellsKit

@Suite("CellsClient authentication")
struct CellsAuthTests {
  @Test("a password login gets a token; when it expires mid-run, one re-login serves all workers")
  func reloginOnExpiry() async throws {
    try await withSandbox(seed: .minimal) { sandbox in
      let clients = try await SandboxClients(sandbox, useToken: false, withPassword: true)
      let first = try await clients.rest.credentials.currentToken()
      #expect(try await clients.rest.stat("common-files/welcome.txt") != nil)
      try sandbox.store.expireTokens(of: "admin")
      let rest = clients.rest
      try await withThrowingTaskGroup(of: Bool.self) { group in
        for _ in 0..<8 { group.addTask { try await rest.stat("common-files/welcome.txt") != nil } }
        for try await found in group { #expect(found) }
      }
      let second = try await clients.rest.credentials.currentToken()
      #expect(second != first)
    }
  }

  @Test("an expired token without credentials is a clear error")
  func expiredWithoutCredentials() async throws {
    try await withSandbox(seed: .minimal) { sandbox in
      let token = sandbox.token(for: "alice")
      let http = try HTTPClient()
      let client = await CellsClient(
        baseURL: sandbox.baseURL.absoluteString, credentials: CellsCredentials(token: token, login: nil), http: http)
      #expect(try await client.stat("common-files/welcome.txt") != nil)
      try sandbox.store.expireTokens(of: "alice")
      await #expect {
        _ = try await client.stat("common-files/welcome.txt")
      } throws: { error in
        guard case .tokenExpired? = error as? CellsAPIError else { return false }
        return !"\(error)".contains(token)
      }
    }
  }

  @Test("a wrong password is a login failure that does not show the password")
  func wrongPassword() async throws {
    try await withSandbox(seed: .minimal) { sandbox in
      let credentials = CellsCredentials(token: nil, login: CellsLogin(login: "alice", password: "not-it"))
      let client = await CellsClient(
        baseURL: sandbox.baseURL.absoluteString, credentials: credentials, http: try HTTPClient())
      await #expect {
        _ = try await client.stat("common-files/welcome.txt")
      } throws: { error in
        guard case .loginFailed(let login, _)? = error as? CellsAPIError else { return false }
        return login == "alice" && !"\(error)".contains("not-it")
      }
    }
  }

  @Test("the S3 side renews an expired token too (AccessDenied after having worked)")
  func s3Relogin() async throws {
    try await withSandbox(seed: .minimal) { sandbox in
      let clients = try await SandboxClients(sandbox, useToken: false, withPassword: true)
      try await clients.s3.put("common-files/s3-relogin.txt") { .bytes([7]) }
      try sandbox.store.expireTokens(of: "admin")
      var received: [UInt8] = []
      try await clients.s3.get("common-files/s3-relogin.txt") { received += $0 }
      #expect(received == [7])
    }
  }
}

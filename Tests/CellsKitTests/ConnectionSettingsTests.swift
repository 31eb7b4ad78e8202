import CellarTestSupport
import Foundation
import Testing

@testable import CellsKit

@Suite("ConnectionSettings from flags and environment")
struct ConnectionSettingsTests {
  @Test("flags win over the environment, which fills in the rest")
  func precedence() throws {
    let environment = ["CELLS_URL": "https://env.example.com/", "CELLS_TOKEN": "env-token"]
    let fromEnvironment = try ConnectionSettings(url: nil, environment: environment)
    #expect(fromEnvironment.url == "https://env.example.com")
    #expect(fromEnvironment.token == "env-token")
    let fromFlags = try ConnectionSettings(url: "http://flag:8080", token: "flag-token", environment: environment)
    #expect(fromFlags.url == "http://flag:8080")
    #expect(fromFlags.token == "flag-token")
  }

  @Test("secrets come from files, trimmed, and never show in the description")
  func secretFiles() throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let directory = scratch.url
    let tokenFile = directory.appendingPathComponent("token").path
    let passwordFile = directory.appendingPathComponent("password").path
    try "s3cr3t-token\n".write(toFile: tokenFile, atomically: true, encoding: .utf8)
    try "  pa55word \n".write(toFile: passwordFile, atomically: true, encoding: .utf8)
    let settings = try ConnectionSettings(
      url: "https://cells.example.com", tokenFile: tokenFile, login: "alice", passwordFile: passwordFile,
      environment: [:])
    #expect(settings.token == "s3cr3t-token")
    #expect(settings.login?.password == "pa55word")
    #expect(!settings.description.contains("s3cr3t"))
    #expect(!settings.description.contains("pa55word"))
    #expect(settings.description.contains("alice"))
  }

  @Test("missing or unusable settings are clear errors")
  func problems() throws {
    #expect(throws: ConnectionSettings.Problem.missingURL) { try ConnectionSettings(url: nil, environment: [:]) }
    #expect(throws: ConnectionSettings.Problem.invalidURL("ftp://x")) {
      try ConnectionSettings(url: "ftp://x", token: "t", environment: [:])
    }
    #expect(throws: ConnectionSettings.Problem.missingCredentials) {
      try ConnectionSettings(url: "https://x", environment: [:])
    }
    #expect(throws: ConnectionSettings.Problem.missingPassword(login: "bob")) {
      try ConnectionSettings(url: "https://x", login: "bob", environment: [:])
    }
    #expect(throws: ConnectionSettings.Problem.self) {
      try ConnectionSettings(url: "https://x", tokenFile: "/no/such/file", environment: [:])
    }
  }

  @Test("TLS: verified by default, a CA file, or loudly insecure")
  func tls() throws {
    #expect(try ConnectionSettings(url: "https://x", token: "t", environment: [:]).http.tlsVerification == .system)
    let pinned = try ConnectionSettings(url: "https://x", token: "t", caFile: "/ca.pem", environment: [:])
    #expect(pinned.http.tlsVerification == .caFile("/ca.pem"))
    let insecure = try ConnectionSettings(url: "https://x", token: "t", insecure: true, environment: [:])
    #expect(insecure.http.tlsVerification == .insecure)
    #expect(insecure.description.contains("NOT VERIFIED"))
  }
}

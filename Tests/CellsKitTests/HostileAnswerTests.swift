// CellsKitTests: answers no Cells server should give (HTML, nothing, broken JSON, redirect
// loops, bodies too large or short) end in a clear error naming the operation: no crash, no
// hang, no unbounded memory.
import CellarTestSupport
import Foundation
import HTTPKit
import S3Kit
import Testing

@testable import CellsKit

@Suite("Clients facing hostile answers")
struct HostileAnswerTests {
  static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("hostile_server.py").path

  private static func clients(_ server: ScriptServer, _ kind: String) async throws -> (CellsClient, S3Client) {
    let http = try HTTPClient()
    let credentials = CellsCredentials(token: "token", login: nil)
    let retry = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(2), maxDelay: .milliseconds(10))
    let url = "http://127.0.0.1:\(server.port)/\(kind)"
    return (
      await CellsClient(baseURL: url, credentials: credentials, http: http, retry: retry),
      S3Client(endpoint: url, credentials: credentials, http: http, retry: retry)
    )
  }

  @Test(
    "a 200 that is not the JSON asked for is an unexpected answer, said in words",
    arguments: [
      ("html", "not JSON (39 bytes starting \"<html>"), ("empty", "an empty body where JSON was expected"),
      ("invalid", "invalid JSON"),
    ])
  func notJSON(_ kind: String, _ said: String) async throws {
    let server = try ScriptServer(script: Self.script)
    let (rest, _) = try await Self.clients(server, kind)
    let error = await #expect(throws: CellsAPIError.self) { try await rest.listFolder("ws/folder") { _ in } }
    guard case .invalidResponse(let operation, let path, let message) = error else {
      Issue.record("\(String(describing: error))")
      return
    }
    #expect(operation == "list" && path == "ws/folder")
    #expect(message.contains(said), "\(message)")
  }

  @Test("a redirect is not followed, let alone forever: the status is the error")
  func redirectLoop() async throws {
    let server = try ScriptServer(script: Self.script)
    let (rest, s3) = try await Self.clients(server, "redirect")
    let error = await #expect(throws: CellsAPIError.self) { try await rest.stat("ws/file") }
    #expect("\(error.map { "\($0)" } ?? "")".contains("HTTP 302"))
    await #expect(throws: S3Error.self) { try await s3.head("ws/file") }
  }

  @Test("an answer larger than the call can return is refused at its limit, not collected")
  func hugeAnswer() async throws {
    let server = try ScriptServer(script: Self.script)
    let (rest, _) = try await Self.clients(server, "huge")
    let error = await #expect(throws: CellsAPIError.self) { try await rest.listFolder("ws/folder") { _ in } }
    guard case .transport(_, _, .responseTooLarge(_, let limit)) = error else {
      Issue.record("\(String(describing: error))")
      return
    }
    #expect(limit == CellsClient.pageAnswerLimit)
  }

  @Test("an object cut short by a server that ignores Range is never pieced together from repeated bytes")
  func shortObject() async throws {
    let server = try ScriptServer(script: Self.script)
    let (_, s3) = try await Self.clients(server, "short")
    var received = 0
    // Each answer is 200 with the object's first 50 bytes: the resumed ones must be skipped, and
    // the download fails once the retries are spent, naming the object.
    let error = await #expect(throws: S3Error.self) { try await s3.get("ws/file.bin") { received += $0.count } }
    #expect("\(error.map { "\($0)" } ?? "")".contains("GetObject ws/file.bin"))
    #expect(received == 50, "the first 50 bytes, once")
  }
}

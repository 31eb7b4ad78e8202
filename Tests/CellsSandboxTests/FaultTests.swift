// CellsSandboxTests: fault injection at start-up.
import CellsSandbox
import Foundation
import Testing

@Suite("Fault injection")
struct FaultTests {
  @Test("a fail rate of 1 answers every request 500 or 503, the same sequence for the same seed")
  func failures() async throws {
    var options = SandboxOptions()
    options.failRate = 1
    options.faultSeed = 42
    let statuses = { (sandbox: Sandbox) async throws -> [Int] in
      var statuses: [Int] = []
      for _ in 0..<8 { statuses.append(try await sandbox.stats(#"{"NodePaths":["/*"]}"#).status) }
      return statuses
    }
    let first = try await withSandbox(options: options) { try await statuses($0) }
    let second = try await withSandbox(options: options) { try await statuses($0) }
    #expect(first.allSatisfy { $0 == 500 || $0 == 503 })
    #expect(Set(first).count == 2)
    #expect(first == second)
  }

  @Test("S3 requests fail as S3 XML errors under injection")
  func s3Failures() async throws {
    var options = SandboxOptions()
    options.failRate = 1
    try await withSandbox(options: options) { sandbox in
      let reply = try await sandbox.s3("GET", key: "common-files/welcome.txt", token: sandbox.token(for: "admin"))
      #expect([500, 503].contains(reply.status))
      #expect(["InternalError", "ServiceUnavailable"].contains(s3ErrorCode(reply.body)))
    }
  }

  @Test("latency delays every request")
  func latency() async throws {
    var options = SandboxOptions()
    options.latencyMilliseconds = 200
    try await withSandbox(options: options) { sandbox in
      let clock = ContinuousClock()
      let start = clock.now
      _ = try await sandbox.stats(#"{"NodePaths":["/*"]}"#)
      #expect(clock.now - start >= .milliseconds(200))
    }
  }
}

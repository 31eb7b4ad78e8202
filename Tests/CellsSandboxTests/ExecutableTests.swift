// CellsSandboxTests: the `cells-sandbox` executable.
import CellarTestSupport
import Foundation
import Testing

@Suite("cells-sandbox executable")
struct ExecutableTests {
  /// The built executable, beside the test bundle in the build folder.
  static var binary: String { BuiltProduct.path("cells-sandbox") }

  @Test("--help documents the options")
  func help() async throws {
    let run = try await ChildProcess.run(Self.binary, ["--help"], timeout: .seconds(30))
    #expect(run.status == 0)
    for option in ["--port", "--data", "--seed", "--latency-ms", "--fail-rate", "gatewaysecret"] {
      #expect(run.stdout.contains(option), "missing \(option)")
    }
  }

  @Test("it starts, prints its URL and the seeded tokens, and stops on SIGTERM")
  func startAndStop() async throws {
    // `timeout` sends SIGTERM after 3 s; the sandbox then shuts down cleanly and exits 0.
    let run = try await ChildProcess.run(
      "timeout", ["--preserve-status", "-s", "TERM", "3", Self.binary, "--port", "0", "--seed", "minimal"],
      timeout: .seconds(60))
    #expect(run.stdout.contains("listening on http://127.0.0.1:"))
    #expect(run.stdout.contains("admin (admin): password admin, token "))
    #expect(run.stdout.contains("alice: password alice, token "))
    #expect(run.status == 0, "\(run.stderr)")
  }
}

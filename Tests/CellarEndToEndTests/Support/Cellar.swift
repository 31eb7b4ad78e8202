// CellarEndToEndTests: runs the built `cellar` against a sandbox, as a user would.
import CellarTestSupport
import CellsSandbox
import Foundation

/// The `cellar` executable, run as a child process against one sandbox user.
struct Cellar {
  /// The sandbox to talk to.
  var sandbox: Sandbox
  /// Whose token the runs use.
  var login = "admin"

  /// The environment that points `cellar` at the sandbox as `login`.
  var environment: [String: String] {
    ["CELLS_URL": sandbox.baseURL.absoluteString, "CELLS_TOKEN": sandbox.token(for: login)]
  }

  /// Runs `cellar arguments…` and returns what it left.
  func run(
    _ arguments: [String], environment extra: [String: String] = [:], stdin: URL? = nil,
    timeout: Duration = .seconds(300), started: @escaping @Sendable (Int32) -> Void = { _ in }
  ) async throws -> ChildResult {
    try await ChildProcess.run(
      BuiltProduct.path("cellar"), arguments, environment: environment.merging(extra) { $1 }, stdin: stdin,
      timeout: timeout, started: started)
  }
}

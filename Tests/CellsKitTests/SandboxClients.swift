// Clients of an in-process sandbox, as cellar builds them.
import CellsKit
import CellsSandbox
import HTTPKit
import S3Kit

/// A REST client and an S3 client for `sandbox`, signed in as `login` (token, or password login).
struct SandboxClients {
  let rest: CellsClient
  let s3: S3Client

  init(
    _ sandbox: Sandbox, login: String = "admin", useToken: Bool = true, withPassword: Bool = false,
    retry: RetryPolicy = RetryPolicy(baseDelay: .milliseconds(5), maxDelay: .milliseconds(50)),
    idleTimeout: Duration = .seconds(120)
  ) async throws {
    let credentials = CellsCredentials(
      token: useToken ? sandbox.token(for: login) : nil,
      login: withPassword ? CellsLogin(login: login, password: login) : nil)
    var configuration = HTTPClientConfiguration()
    configuration.idleTimeout = idleTimeout
    let http = try HTTPClient(configuration: configuration)
    let url = sandbox.baseURL.absoluteString
    rest = await CellsClient(baseURL: url, credentials: credentials, http: http, retry: retry)
    s3 = S3Client(endpoint: url, credentials: credentials, http: http, retry: retry)
  }
}

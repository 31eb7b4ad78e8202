// CellsKit: the REST client of one Cells server.
import Foundation
import HTTPKit

/// Calls the Cells v1 REST API under `/a/` with the run's credentials.
///
/// Transient failures and 5xx answers are retried under `retry`; a 401 is retried once with a
/// renewed token when the credentials can renew it. Other 4xx answers fail at once.
public final class CellsClient: Sendable {
  /// The server's root URL, without a trailing slash.
  public let baseURL: String
  /// The credentials every call (and the S3 client) uses.
  public let credentials: CellsCredentials
  let http: HTTPClient
  let retry: RetryPolicy

  /// A client of the server at `baseURL` ("https://cells.example.com").
  public init(baseURL: String, credentials: CellsCredentials, http: HTTPClient, retry: RetryPolicy = RetryPolicy())
    async
  {
    self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
    self.credentials = credentials
    self.http = http
    self.retry = retry
    let endpoint = self.baseURL
    await credentials.setSessionEndpoint { login in
      try await Self.logIn(login, baseURL: endpoint, http: http)
    }
  }

  /// Sends one REST call and decodes its answer.
  func call<Response: Decodable>(
    _ operation: String, method: String = "POST", path apiPath: String, about subject: String,
    body: (some Encodable)? = nil as String?, as: Response.Type = Response.self
  ) async throws -> Response {
    let payload = try body.map { try JSONEncoder().encode($0) }.map { [UInt8]($0) }
    let start = ContinuousClock.now
    var attempt = 0
    var renewed = false
    while true {
      attempt += 1
      let token = try await credentials.currentToken()
      var headers: HTTPHeaders = ["Authorization": "Bearer \(token)", "Accept": "application/json"]
      if payload != nil { headers.add("Content-Type", "application/json") }
      let request = HTTPRequest(
        method: method, url: baseURL + apiPath, headers: headers, body: payload.map { .bytes($0) })
      let failure: any Error
      do {
        let response = try await http.execute(request)
        let bytes = try await response.body.collect(upTo: 512 << 20)
        if (200..<300).contains(response.status) {
          do {
            return try JSONDecoder().decode(Response.self, from: Data(bytes))
          } catch {
            throw CellsAPIError.invalidResponse(operation: operation, path: subject, message: "\(error)")
          }
        }
        if response.status == 401, !renewed {
          guard try await credentials.renewToken(rejected: token) != nil else {
            throw CellsAPIError.tokenExpired(operation: operation, path: subject)
          }
          renewed = true
          attempt -= 1
          continue
        }
        let error = CellsAPIError(status: response.status, body: bytes, operation: operation, path: subject)
        guard response.status >= 500 else { throw error }
        failure = error
      } catch let error as HTTPError where error.isTransient {
        failure = CellsAPIError.transport(operation: operation, path: subject, error)
      } catch let error as HTTPError {
        throw CellsAPIError.transport(operation: operation, path: subject, error)
      }
      guard
        let delay = retry.nextDelay(after: attempt, since: start, operation: operation, reason: "\(failure)")
      else { throw failure }
      try await Task.sleep(for: delay)
    }
  }

  /// Logs in through `POST /a/frontend/session` and returns the session token.
  static func logIn(_ login: CellsLogin, baseURL: String, http: HTTPClient) async throws -> String {
    let request = SessionRequest(authInfo: ["login": login.login, "password": login.password, "type": "credentials"])
    let response = try await http.execute(
      HTTPRequest(
        method: "POST", url: baseURL + "/a/frontend/session", headers: ["Content-Type": "application/json"],
        body: .bytes([UInt8](try JSONEncoder().encode(request)))))
    let bytes = try await response.body.collect(upTo: 1 << 20)
    guard response.status == 200, let session = try? JSONDecoder().decode(SessionResponse.self, from: Data(bytes)),
      let token = session.jwt, !token.isEmpty
    else {
      let detail = CellsAPIError(status: response.status, body: bytes, operation: "login", path: "").description
      throw CellsAPIError.loginFailed(login: login.login, detail: detail)
    }
    return token
  }
}

extension CellsAPIError {
  /// The error for an error answer, from its status and `{"Title","Detail"}` body.
  init(status: Int, body: [UInt8], operation: String, path: String) {
    struct RESTError: Decodable {
      var Title: String?
      var Detail: String?
    }
    let parsed = try? JSONDecoder().decode(RESTError.self, from: Data(body))
    let title = parsed?.Title ?? ""
    let detail = parsed?.Detail ?? (parsed == nil ? String(decoding: body.prefix(200), as: UTF8.self) : "")
    let text = [title, detail].filter { !$0.isEmpty }.joined(separator: ": ")
    switch status {
    case 401: self = .unauthorized(operation: operation, path: path, detail: text)
    case 403: self = .forbidden(operation: operation, path: path, detail: text)
    case 404: self = .notFound(operation: operation, path: path, detail: text)
    default: self = .server(operation: operation, path: path, status: status, title: title, detail: detail)
    }
  }
}

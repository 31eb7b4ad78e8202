// CellsKit: the REST client of one Cells server.
import Foundation
import HTTPKit

/// Calls the Cells v1 REST API under `/a/` with the run's credentials.
///
/// Every call, its answer's body included, is retried under `retry` when it fails for a passing
/// reason (dropped or stalled connections, 5xx, 429 after its `Retry-After`); a 401 is retried
/// once with a renewed token when the credentials can renew it. Other 4xx answers fail at once.
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

  /// The largest answer most calls accept; listing pages have their own, larger bound.
  public static let answerLimit = 8 << 20
  /// The largest answer of a listing page (a page of 1,000 nodes with their metadata).
  public static let pageAnswerLimit = 64 << 20

  /// Sends one REST call and decodes its answer, retrying the whole exchange (the body included)
  /// when it fails for a passing reason; answers over `limit` bytes are refused.
  func call<Response: Decodable>(
    _ operation: String, method: String = "POST", path apiPath: String, about subject: String,
    body: (some Encodable)? = nil as String?, as: Response.Type = Response.self, limit: Int = answerLimit
  ) async throws -> Response {
    let payload = try body.map { try JSONEncoder().encode($0) }.map { [UInt8]($0) }
    var token = ""
    var serverDelay: Duration?
    return try await retry.run(operation) { _ in
      token = try await credentials.currentToken()
      serverDelay = nil
      var headers: HTTPHeaders = ["Authorization": "Bearer \(token)", "Accept": "application/json"]
      if payload != nil { headers.add("Content-Type", "application/json") }
      let request = HTTPRequest(
        method: method, url: baseURL + apiPath, headers: headers, body: payload.map { .bytes($0) })
      let response: HTTPResponse
      let bytes: [UInt8]
      do {
        response = try await http.execute(request)
        bytes = try await response.body.collect(upTo: limit)
      } catch let error as HTTPError {
        throw CellsAPIError.transport(operation: operation, path: subject, error)
      }
      guard (200..<300).contains(response.status) else {
        serverDelay = response.retryAfter
        throw CellsAPIError(status: response.status, body: bytes, operation: operation, path: subject)
      }
      do {
        return try JSONDecoder().decode(Response.self, from: Data(bytes))
      } catch {
        throw CellsAPIError.invalidResponse(operation: operation, path: subject, message: Self.why(error, bytes))
      }
    } classify: { error in
      switch error as? CellsAPIError {
      case .transport(_, _, let transport):
        return .transport(transport)
      case .unauthorized:
        guard try await credentials.renewToken(rejected: token) != nil else {
          throw CellsAPIError.tokenExpired(operation: operation, path: subject)
        }
        return .renewed
      case .server(_, _, let status, _, _) where HTTPResponse.isPassing(status: status):
        return .retry(reason: "HTTP \(status)", after: serverDelay)
      default:
        return .fail
      }
    }
  }

  /// Why an answer could not be decoded, in a line: what the body looked like, and the decoder's
  /// complaint.
  static func why(_ error: any Error, _ bytes: [UInt8]) -> String {
    guard !bytes.isEmpty else { return "an empty body where JSON was expected" }
    let start = bytes.first { ![0x20, 0x09, 0x0a, 0x0d].contains($0) }
    guard start == UInt8(ascii: "{") || start == UInt8(ascii: "[") else {
      let preview = String(decoding: bytes.prefix(60), as: UTF8.self).replacingOccurrences(of: "\n", with: " ")
      return "not JSON (\(bytes.count) bytes starting \"\(preview)\")"
    }
    switch error {
    case DecodingError.keyNotFound(let key, let context):
      return "no \(([key] + context.codingPath).map(\.stringValue).reversed().joined(separator: "."))"
    case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
      return "unexpected value at \(context.codingPath.map(\.stringValue).joined(separator: ".")): "
        + context.debugDescription
    case DecodingError.dataCorrupted(let context):
      return "invalid JSON: \(context.underlyingError.map { "\($0)" } ?? context.debugDescription)"
    default:
      return "\(error)"
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

// CellsSandbox: the REST side (`/a/...`): routing, bearer authentication, JSON errors.
import Foundation

/// Serves the Cells v1 REST API under `/a/`.
///
/// Handlers take the authenticated caller and the raw body and return the JSON document to send;
/// errors become `{"Title","Detail"}` bodies.
struct RESTAPI: Sendable {
  let store: Store
  let options: SandboxOptions
  /// The current time in Unix seconds (one place, so tests and seeds agree).
  let clock: @Sendable () -> Int64
  /// Injected faults, also changed through `/a/sandbox/faults`.
  let faults: FaultPlan

  /// Answers a request whose path starts with `/a/`.
  ///
  /// `rawPath` is still percent-encoded.
  func respond(method: String, rawPath: String, authorization: String?, body: [UInt8]) async
    -> (status: Int, json: JSONValue)
  {
    do {
      return (200, try route(method: method, rawPath: rawPath, authorization: authorization, body: body))
    } catch let error as SandboxError {
      return (error.httpStatus, Self.errorBody(error))
    } catch {
      return (500, Self.errorBody(.internalError("\(error)")))
    }
  }

  private func route(method: String, rawPath: String, authorization: String?, body: [UInt8])
    throws -> JSONValue
  {
    let path = rawPath.removingPercentEncoding ?? rawPath
    let caller = try? authenticate(authorization)
    switch (method, path) {
    case ("GET", "/a/config/discovery"):
      return discovery(caller)
    case ("POST", "/a/frontend/session"):
      return try session(body)
    default:
      break
    }
    guard let user = caller else { throw SandboxError.unauthorized }
    switch (method, path) {
    case ("POST", "/a/tree/stats"), ("POST", "/a/meta/bulk/get"):
      return try bulkStats(user, body)
    case ("POST", "/a/tree/admin/list"):
      return try adminList(user, body)
    case ("POST", "/a/tree/admin/stat"):
      return try adminStat(user, body)
    case ("POST", "/a/tree/create"):
      return try createNodes(user, body)
    case ("POST", "/a/tree/delete"):
      return try deleteNodes(user, body)
    case ("POST", "/a/tree/restore"):
      return try restoreNodes(user, body)
    case ("POST", "/a/sandbox/faults"):
      return try setFaults(user, body)
    case ("POST", "/a/sandbox/expire-tokens"):
      return try expireTokens(user, body)
    case ("GET", "/a/sandbox/dump"):
      return try dump(user)
    case ("POST", "/a/sandbox/move"):
      return try moveNode(user, body)
    case ("POST", "/a/workspace"):
      return try searchWorkspaces(user, body)
    case ("GET", "/a/user-meta/namespace"):
      return try listNamespaces(user)
    case ("PUT", "/a/user-meta/namespace"):
      return try updateNamespaces(user, body)
    case ("PUT", "/a/user-meta/update"):
      return try updateUserMeta(user, body)
    case ("POST", "/a/user-meta/search"):
      return try searchUserMeta(user, body)
    case ("POST", "/a/user-meta/bookmarks"):
      return try bookmarks(user, body)
    case (_, _) where path.hasPrefix("/a/user-meta/tags/"):
      return try tags(
        user, method: method, rest: String(path.dropFirst("/a/user-meta/tags/".count)), body: body)
    case ("GET", _) where path.hasPrefix("/a/tree/stat/"):
      return try headNode(user, path: String(path.dropFirst("/a/tree/stat/".count)))
    default:
      throw SandboxError.notFound("No route for \(method) \(path)")
    }
  }

  /// The name a REST request goes by in fault settings: its path under `/a/` (`tree/stats`,
  /// `user-meta/update`), without the node path of `GET /a/tree/stat/…` and the tag of
  /// `/a/user-meta/tags/…`.
  static func operationName(method: String, path: String) -> String {
    let name = path.dropFirst("/a/".count)
    for prefix in ["tree/stat/", "user-meta/tags/"] where name.hasPrefix(prefix) {
      return String(prefix.dropLast())
    }
    return String(name)
  }

  /// The user behind `Authorization: Bearer <token>`; throws `unauthorized` otherwise.
  func authenticate(_ header: String?) throws -> User {
    guard let header, header.hasPrefix("Bearer ") else { throw SandboxError.unauthorized }
    let token = String(header.dropFirst("Bearer ".count)).trimmingCharacters(in: .whitespaces)
    guard let user = store.user(forToken: token) else { throw SandboxError.unauthorized }
    return user
  }

  /// `{"Title": message, "Detail": API code}`, the late-v4 form (docs/cells-protocol.md, "Errors").
  static func errorBody(_ error: SandboxError) -> JSONValue {
    .object([("Title", .string(error.message)), ("Detail", .string(error.apiCode))])
  }

  // MARK: - Discovery and session

  /// `GET /a/config/discovery`: version fields only for an authenticated caller
  /// (docs/cells-protocol.md, "Server version").
  private func discovery(_ caller: User?) -> JSONValue {
    var out = JSONObjectBuilder()
    if caller != nil {
      out.string("PackageType", "PydioHome")
      out.string("PackageLabel", "Cells Sandbox")
      out.string("Version", SandboxOptions.emulatedVersion)
      out.string("BuildRevision", "cellar-sandbox")
    }
    out.map(
      "Endpoints", [("rest", "/a"), ("s3", "/io"), ("frontend", "/"), ("oidc", "/oidc")])
    return out.object
  }

  /// `POST /a/frontend/session` (docs/cells-protocol.md, "Authentication"): credentials in, a fresh bearer token out.
  private func session(_ body: [UInt8]) throws -> JSONValue {
    let input = try JSONInput(
      body: body, allowed: ["AuthInfo", "ClientTime", "Logout"], message: "restFrontSessionRequest")
    if try input.bool("Logout") { return .object([]) }
    let info = try input.stringMap("AuthInfo")
    guard let login = info["login"], let password = info["password"],
      let user = try store.user(login), user.password == password
    else { throw SandboxError.unauthorized }
    let expires = clock() + Int64(options.sessionLifetime)
    let token = try store.issueToken(for: user.login, expires: Double(expires))
    var tokenObject = JSONObjectBuilder()
    tokenObject.string("AccessToken", token)
    tokenObject.string("ExpiresAt", String(expires))
    var out = JSONObjectBuilder()
    out.string("JWT", token)
    out.int32("ExpireTime", Int(expires))
    out.value("Token", tokenObject.object)
    return out.object
  }
}

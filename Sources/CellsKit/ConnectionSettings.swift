// CellsKit: where the server is and who we are, from flags and the environment.
import Foundation
import HTTPKit

/// How to reach and authenticate to a Cells server.
///
/// Flags win over the environment
/// (`CELLS_URL`, `CELLS_TOKEN`, `CELLS_PASSWORD`); secrets can come from files so that they stay
/// out of `ps` and shell history. The description never shows a secret.
public struct ConnectionSettings: Sendable, CustomStringConvertible {
  /// Why the settings cannot be used.
  public enum Problem: Error, Equatable, CustomStringConvertible {
    /// No server URL.
    case missingURL
    /// The URL is not http(s)://host[:port].
    case invalidURL(String)
    /// Neither a token nor a login.
    case missingCredentials
    /// A login without a password.
    case missingPassword(login: String)
    /// A secret file could not be read, or is empty.
    case unreadableFile(path: String, reason: String)

    /// One line for the user.
    public var description: String {
      switch self {
      case .missingURL: "no server: give --url or set CELLS_URL"
      case .invalidURL(let url): "invalid server URL \(url): expected http(s)://host[:port]"
      case .missingCredentials:
        "no credentials: give --token-file (or CELLS_TOKEN), or --login with --password-file (or CELLS_PASSWORD)"
      case .missingPassword(let login): "no password for \(login): give --password-file or set CELLS_PASSWORD"
      case .unreadableFile(let path, let reason): "cannot read \(path): \(reason)"
      }
    }
  }

  /// The server's root URL, without a trailing slash.
  public var url: String
  /// The bearer token (a personal access token), if given.
  public var token: String?
  /// A login and password, if given; they renew the token when it expires mid-run.
  public var login: CellsLogin?
  /// TLS verification and timeouts for every connection.
  public var http: HTTPClientConfiguration
  /// What the user should hear about these settings (a secret file others can read).
  public private(set) var warnings: [String] = []

  /// Resolves the settings from flags, then the environment.
  ///
  /// Each `…File` argument names a file holding the secret (its content is
  /// trimmed); `environment` is consulted for whatever the flags leave out.
  public init(
    url: String?, token: String? = nil, tokenFile: String? = nil, login: String? = nil,
    passwordFile: String? = nil, insecure: Bool = false, caFile: String? = nil,
    connectTimeout: Duration? = nil, idleTimeout: Duration? = nil,
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws {
    guard let rawURL = url ?? environment["CELLS_URL"], !rawURL.isEmpty else { throw Problem.missingURL }
    var trimmed = rawURL
    while trimmed.hasSuffix("/") { trimmed.removeLast() }
    guard let parsed = URLComponents(string: trimmed), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""),
      parsed.host?.isEmpty == false, parsed.path.isEmpty
    else { throw Problem.invalidURL(rawURL) }
    self.url = trimmed

    warnings = [tokenFile, passwordFile].compactMap { $0.flatMap(Self.exposure) }
    self.token =
      try tokenFile.map(Self.readSecret) ?? token ?? environment["CELLS_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
    if let login {
      guard let password = try passwordFile.map(Self.readSecret) ?? environment["CELLS_PASSWORD"] else {
        throw Problem.missingPassword(login: login)
      }
      self.login = CellsLogin(login: login, password: password)
    }
    guard self.token != nil || self.login != nil else { throw Problem.missingCredentials }

    var http = HTTPClientConfiguration()
    http.tlsVerification = insecure ? .insecure : caFile.map { .caFile($0) } ?? .system
    if let connectTimeout { http.connectTimeout = connectTimeout }
    if let idleTimeout { http.idleTimeout = idleTimeout }
    http.userAgent = "cellar"
    self.http = http
  }

  /// The settings for a log line: the URL and how we authenticate, never the secrets.
  public var description: String {
    var parts = [url]
    if token != nil { parts.append("token: (hidden)") }
    if let login { parts.append("login: \(login.login)") }
    if http.tlsVerification == .insecure { parts.append("TLS NOT VERIFIED") }
    return parts.joined(separator: ", ")
  }

  /// A warning when the secret file at `path` is readable by its group or by others.
  private static func exposure(_ path: String) -> String? {
    // stat, not lstat: a secret mounted as a link (Kubernetes) is judged by the file it names.
    var status = stat()
    guard stat(path, &status) == 0 else { return nil }
    let mode = status.st_mode & 0o777
    guard mode & 0o044 != 0 else { return nil }
    let who = mode & 0o004 != 0 ? "others" : "its group"
    return "\(path) can be read by \(who) (mode \(String(mode, radix: 8))): chmod 600 \(path)"
  }

  private static func readSecret(_ path: String) throws -> String {
    let text: String
    do {
      text = try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      throw Problem.unreadableFile(path: path, reason: (error as NSError).localizedDescription)
    }
    let secret = text.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !secret.isEmpty else { throw Problem.unreadableFile(path: path, reason: "the file is empty") }
    return secret
  }
}

// Starts Fixtures/http_test_server.py on a random loopback port for the duration of a test.
import CellarTestSupport
import Foundation

/// Fixtures/http_test_server.py in a child process; stopped when the value is released.
final class TestHTTPServer: Sendable {
  /// One plain-HTTP server shared by every test of the module (it serves requests concurrently).
  static let shared = Result { try TestHTTPServer() }

  let scheme: String
  private let server: ScriptServer

  /// Starts the server, over TLS when a certificate and key are given.
  init(tls: (cert: String, key: String)? = nil) throws {
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("Fixtures/http_test_server.py").path
    server = try ScriptServer(script: script, arguments: tls.map { ["--cert", $0.cert, "--key", $0.key] } ?? [])
    scheme = tls == nil ? "http" : "https"
  }

  /// The URL of `path` on this server (path starts with "/").
  func url(_ path: String) -> String { "\(scheme)://127.0.0.1:\(server.port)\(path)" }
}

/// The bytes the test server sends for a body of `count` bytes starting at `offset`.
func expectedPattern(count: Int, offset: Int = 0) -> [UInt8] {
  (0..<count).map { UInt8((offset + $0) % 251) }
}

/// A self-signed certificate for 127.0.0.1 and localhost, made with the openssl command.
struct TestCertificate {
  let directory: URL
  var cert: String { directory.appendingPathComponent("cert.pem").path }
  var key: String { directory.appendingPathComponent("key.pem").path }

  init() throws {
    directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("httpkit-tls-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    _ = try ChildProcess.output(
      "openssl",
      [
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
        "-keyout", directory.appendingPathComponent("key.pem").path,
        "-out", directory.appendingPathComponent("cert.pem").path,
      ])
  }

  func remove() { try? FileManager.default.removeItem(at: directory) }
}

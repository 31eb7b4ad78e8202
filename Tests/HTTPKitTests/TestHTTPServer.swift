// Starts Fixtures/http_test_server.py on a random loopback port for the duration of a test.
import Foundation

/// A real HTTP server in a child process; stopped when the value is released.
final class TestHTTPServer: Sendable {
  /// One plain-HTTP server shared by every test of the module (it serves requests concurrently).
  static let shared = Result { try TestHTTPServer() }

  let port: Int
  let scheme: String
  private let process: Process

  /// Starts the server, over TLS when a certificate and key are given.
  init(tls: (cert: String, key: String)? = nil) throws {
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("Fixtures/http_test_server.py").path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", script] + (tls.map { ["--cert", $0.cert, "--key", $0.key] } ?? [])
    let output = Pipe()
    process.standardOutput = output
    // The server exits when this pipe closes, which happens at the latest when the test run ends.
    process.standardInput = Pipe()
    try process.run()
    var line = Data()
    while !line.contains(UInt8(ascii: "\n")) {
      let more = output.fileHandleForReading.availableData
      guard !more.isEmpty else { throw ServerError.noPort }
      line += more
    }
    guard let text = String(data: line, encoding: .utf8),
      let port = Int(text.split(separator: " ").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "")
    else { throw ServerError.noPort }
    self.port = port
    self.process = process
    scheme = tls == nil ? "http" : "https"
  }

  deinit {
    // Not waitUntilExit: it spins a run loop, which can hang on a cooperative-pool thread.
    process.terminate()
  }

  /// The URL of `path` on this server (path starts with "/").
  func url(_ path: String) -> String { "\(scheme)://127.0.0.1:\(port)\(path)" }

  enum ServerError: Error { case noPort }
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
    let openssl = Process()
    openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    openssl.arguments = [
      "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
      "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
      "-keyout", directory.appendingPathComponent("key.pem").path,
      "-out", directory.appendingPathComponent("cert.pem").path,
    ]
    openssl.standardError = FileHandle.nullDevice
    try openssl.run()
    openssl.waitUntilExit()
    guard openssl.terminationStatus == 0 else { throw TestHTTPServer.ServerError.noPort }
  }

  func remove() { try? FileManager.default.removeItem(at: directory) }
}

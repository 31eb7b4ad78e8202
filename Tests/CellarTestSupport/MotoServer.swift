// CellarTestSupport: moto, an independent S3 implementation, as a server for the tests.
import Foundation

/// moto's S3 server on a random loopback port, with the bucket `cellar-test` created.
///
/// It runs in a child process shared by the tests of one run, and accepts any access key.
public enum MotoServer {
  /// The server, started at first use.
  public static let shared = Result { try ScriptServer(script: script) }

  /// A second server failing 5% of requests: refused (503 SlowDown), answered after being
  /// handled (500 InternalError), or a GET's body cut half-way (moto_s3_server.py).
  public static let faulty = Result { try ScriptServer(script: script, arguments: ["--fault-rate", "0.05"]) }

  private static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("moto_s3_server.py").path

  /// The bucket the server starts with.
  public static let bucket = "cellar-test"

  /// The server's endpoint, `http://127.0.0.1:PORT`.
  public static func endpoint() throws -> String {
    "http://127.0.0.1:\(try shared.get().port)"
  }

  /// The faulty server's endpoint.
  public static func faultyEndpoint() throws -> String {
    "http://127.0.0.1:\(try faulty.get().port)"
  }

  /// How many requests the faulty server received and failed, by shape ("requests", "refused",
  /// "lost", "cut").
  public static func faultCounts() throws -> [String: Int] {
    let data = try ChildProcess.output("curl", ["-sf", try faultyEndpoint() + "/_faults"])
    return try JSONDecoder().decode([String: Int].self, from: data)
  }
}

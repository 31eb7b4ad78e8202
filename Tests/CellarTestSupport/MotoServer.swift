// CellarTestSupport: moto, an independent S3 implementation, as a server for the tests.
import Foundation

/// moto's S3 server on a random loopback port, with the bucket `cellar-test` created.
///
/// It runs in a child process shared by the tests of one run, and accepts any access key.
public enum MotoServer {
  /// The server, started at first use.
  public static let shared = Result {
    try ScriptServer(
      script: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("moto_s3_server.py").path)
  }

  /// The bucket the server starts with.
  public static let bucket = "cellar-test"

  /// The server's endpoint, `http://127.0.0.1:PORT`.
  public static func endpoint() throws -> String {
    "http://127.0.0.1:\(try shared.get().port)"
  }
}

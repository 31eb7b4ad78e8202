// CellsSandboxTests: real S3 clients (the AWS CLI and boto3) against the sandbox.
import CellarTestSupport
import CellsSandbox
import Foundation
import Testing

/// Environment for the AWS CLI: path-style addressing through a private config file, the
/// token as access key, and no retries so a refusal shows at once.
private func awsEnvironment(_ sandbox: Sandbox, token: String, secret: String, config: URL) throws
  -> [String: String]
{
  try "[default]\nregion = us-east-1\ns3 =\n    addressing_style = path\n".write(
    to: config, atomically: true, encoding: .utf8)
  return [
    "AWS_CONFIG_FILE": config.path, "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
    "AWS_ACCESS_KEY_ID": token, "AWS_SECRET_ACCESS_KEY": secret, "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_MAX_ATTEMPTS": "1", "AWS_PAGER": "",
  ]
}

private func scratchDirectory() throws -> URL { try Scratch().url }

@Suite("Real S3 clients", .timeLimit(.minutes(5)))
struct RealClientTests {
  @Test("aws s3 ls, cp and cp --recursive work with a valid token")
  func awsCLI() async throws {
    try await withSandbox(seed: pagingSeed) { sandbox in
      let scratch = try scratchDirectory()
      defer { try? FileManager.default.removeItem(at: scratch) }
      let env = try awsEnvironment(
        sandbox, token: sandbox.token(for: "admin"), secret: "gatewaysecret",
        config: scratch.appendingPathComponent("config"))
      let endpoint = ["--endpoint-url", sandbox.baseURL.absoluteString]

      let ls = try await ChildProcess.run(
        "aws", ["s3", "ls", "s3://io/common-files/docs/"] + endpoint, environment: env)
      #expect(ls.status == 0, "\(ls.stderr)")
      #expect(ls.stdout.contains("f9.txt"))
      #expect(ls.stdout.contains(".a-hidden"))

      // 9 MiB: above the CLI's 8 MiB threshold, so this is a multipart upload.
      let local = scratch.appendingPathComponent("up.bin")
      var generator = SystemRandomNumberGenerator()
      let bytes = (0..<(9 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator) }
      try Data(bytes).write(to: local)
      let up = try await ChildProcess.run(
        "aws", ["s3", "cp", "--only-show-errors", local.path, "s3://io/common-files/cli/up file.bin"] + endpoint,
        environment: env)
      #expect(up.status == 0, "\(up.stderr)")
      let down = scratch.appendingPathComponent("down.bin")
      let get = try await ChildProcess.run(
        "aws", ["s3", "cp", "--only-show-errors", "s3://io/common-files/cli/up file.bin", down.path] + endpoint,
        environment: env)
      #expect(get.status == 0, "\(get.stderr)")
      #expect(try Data(contentsOf: down) == Data(bytes))

      let tree = scratch.appendingPathComponent("tree")
      let recursive = try await ChildProcess.run(
        "aws", ["s3", "cp", "--only-show-errors", "--recursive", "s3://io/common-files/docs/", tree.path] + endpoint,
        environment: env)
      #expect(recursive.status == 0, "\(recursive.stderr)")
      let names = try FileManager.default.contentsOfDirectory(atPath: tree.path)
      #expect(names.contains("f0.txt") && names.contains(".pydio") && names.count == 13)
      #expect(try String(contentsOf: tree.appendingPathComponent("f3.txt"), encoding: .utf8) == "file 3")
    }
  }

  @Test("aws s3 ls fails with a wrong secret")
  func awsWrongSecret() async throws {
    try await withSandbox { sandbox in
      let scratch = try scratchDirectory()
      defer { try? FileManager.default.removeItem(at: scratch) }
      let env = try awsEnvironment(
        sandbox, token: sandbox.token(for: "admin"), secret: "not-the-secret",
        config: scratch.appendingPathComponent("config"))
      let ls = try await ChildProcess.run(
        "aws", ["s3", "ls", "s3://io/common-files/", "--endpoint-url", sandbox.baseURL.absoluteString],
        environment: env)
      #expect(ls.status != 0)
      #expect(ls.stderr.contains("SignatureDoesNotMatch"))
    }
  }

  @Test("boto3 put, get, ranged get, multipart upload and list succeed")
  func boto3() async throws {
    try await withSandbox { sandbox in
      let run = try await ChildProcess.run(
        "python3",
        [Self.script, sandbox.baseURL.absoluteString, sandbox.token(for: "alice"), "gatewaysecret"])
      #expect(run.status == 0, "\(run.stdout) \(run.stderr)")
      let result = try #require(
        try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
      #expect(result["get_equal"] as? Bool == true)
      #expect(result["content_type"] as? String == "text/plain")
      #expect(result["range"] as? String == "héll")
      #expect(result["multipart_sha256_equal"] as? Bool == true)
      #expect((result["multipart_etag"] as? String)?.hasSuffix("-3\"") == true)
      #expect(
        result["keys"] as? [String] == [
          "common-files/boto/.pydio", "common-files/boto/big.bin", "common-files/boto/hello.txt",
        ])
      #expect(result["truncated"] as? Bool == false)
      #expect(result["buckets"] as? [String] == ["data", "io"])
    }
  }

  @Test("boto3 fails with a wrong secret")
  func boto3WrongSecret() async throws {
    try await withSandbox { sandbox in
      let run = try await ChildProcess.run(
        "python3", [Self.script, sandbox.baseURL.absoluteString, sandbox.token(for: "alice"), "wrong"])
      #expect(run.status == 2)
      #expect(run.stdout.contains("SignatureDoesNotMatch"))
    }
  }

  /// The boto3 script beside this file.
  static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("s3_clients.py").path
}

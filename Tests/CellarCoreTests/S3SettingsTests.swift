// CellarCoreTests: S3 keys, region and endpoint are found where the AWS CLI finds them.
import CellarTestSupport
import Foundation
import Testing

@testable import CellarCore

@Suite("S3Settings: the environment, then the AWS files")
struct S3SettingsTests {
  /// An environment whose AWS files are `credentials` and `config`, written in `folder`.
  private func environment(
    _ folder: URL, credentials: String = "", config: String = "", extra: [String: String] = [:]
  ) throws -> [String: String] {
    try credentials.write(to: folder.appendingPathComponent("credentials"), atomically: true, encoding: .utf8)
    try config.write(to: folder.appendingPathComponent("config"), atomically: true, encoding: .utf8)
    return [
      "HOME": folder.path, "AWS_SHARED_CREDENTIALS_FILE": folder.appendingPathComponent("credentials").path,
      "AWS_CONFIG_FILE": folder.appendingPathComponent("config").path,
    ].merging(extra) { $1 }
  }

  static let files = (
    credentials: """
    [default]
    aws_access_key_id = DEFAULTKEY
    aws_secret_access_key = defaultsecret

    [backup]
    aws_access_key_id = BACKUPKEY
    aws_secret_access_key = backupsecret
    aws_session_token = backuptoken
    """,
    config: """
    [default]
    region = eu-central-1

    [profile backup]
    region = eu-west-3
    endpoint_url = https://minio.example.com:9000/
    s3 =
      endpoint_url = https://nested.example.com
    """
  )

  @Test("keys in the environment win over the default profile; the region and endpoint follow")
  func environmentKeys() throws {
    try withScratchDirectory { folder in
      let env = try environment(
        folder, credentials: Self.files.credentials, config: Self.files.config,
        extra: ["AWS_ACCESS_KEY_ID": "ENVKEY", "AWS_SECRET_ACCESS_KEY": "envsecret", "AWS_SESSION_TOKEN": "envtoken"])
      let settings = try S3Settings.resolve(endpoint: nil, profile: nil, environment: env)
      #expect(settings.credentials.accessKey == "ENVKEY")
      #expect(settings.credentials.sessionToken == "envtoken")
      #expect(settings.region == "eu-central-1")
      #expect(settings.endpoint == "https://s3.eu-central-1.amazonaws.com")

      let custom = try S3Settings.resolve(
        endpoint: "http://127.0.0.1:9000/", profile: nil,
        environment: env.merging(["AWS_REGION": "us-west-2", "AWS_ENDPOINT_URL": "http://ignored"]) { $1 })
      #expect(custom.endpoint == "http://127.0.0.1:9000")
      #expect(custom.region == "us-west-2")
    }
  }

  @Test("a named profile takes keys, token, region and endpoint from the two files, past nested sections")
  func namedProfile() throws {
    try withScratchDirectory { folder in
      let env = try environment(
        folder, credentials: Self.files.credentials, config: Self.files.config,
        extra: ["AWS_ACCESS_KEY_ID": "ENVKEY", "AWS_SECRET_ACCESS_KEY": "envsecret"])
      for settings in [
        try S3Settings.resolve(endpoint: nil, profile: "backup", environment: env),
        try S3Settings.resolve(
          endpoint: nil, profile: nil,
          environment: env.filter { !$0.key.hasPrefix("AWS_ACCESS") && !$0.key.hasPrefix("AWS_SECRET") }
            .merging(["AWS_PROFILE": "backup"]) { $1 }),
      ] {
        #expect(
          settings.credentials == .init(accessKey: "BACKUPKEY", secretKey: "backupsecret", sessionToken: "backuptoken"))
        #expect(settings.region == "eu-west-3")
        #expect(settings.endpoint == "https://minio.example.com:9000")
      }
    }
  }

  @Test("no keys, an unknown profile or a bad endpoint is a usage error that says what to set")
  func errors() throws {
    try withScratchDirectory { folder in
      let empty = try environment(folder)
      #expect(throws: CellarError.self) { try S3Settings.resolve(endpoint: nil, profile: nil, environment: empty) }
      #expect(throws: CellarError.self) { try S3Settings.resolve(endpoint: nil, profile: "nobody", environment: empty) }
      let blank = empty.merging(["AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""]) { $1 }
      #expect(throws: CellarError.self) { try S3Settings.resolve(endpoint: nil, profile: nil, environment: blank) }
      let keys = empty.merging(["AWS_ACCESS_KEY_ID": "K", "AWS_SECRET_ACCESS_KEY": "S"]) { $1 }
      #expect(throws: CellarError.self) {
        try S3Settings.resolve(endpoint: "minio:9000", profile: nil, environment: keys)
      }
      #expect(throws: CellarError.self) { try S3ObjectURL("s3://bucket") }
      let url = try #require(try S3ObjectURL("s3://bucket/a/b.tar.zst"))
      #expect(url.bucket == "bucket" && url.key == "a/b.tar.zst" && url.description == "s3://bucket/a/b.tar.zst")
      #expect(try S3ObjectURL("/local/file.tar") == nil)
    }
  }
}

// CellarCore: where an S3 archive is and the keys to read it, found the way the AWS tools find
// them: the environment, then the shared credentials and config files.
import Foundation
import S3Kit

/// An S3 endpoint, its region and credentials.
///
/// Resolution follows the AWS CLI: `--s3-profile` (or, without it, `AWS_ACCESS_KEY_ID`,
/// `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`, then `AWS_PROFILE` or `default`) in
/// `~/.aws/credentials` (`AWS_SHARED_CREDENTIALS_FILE`) and `~/.aws/config` (`AWS_CONFIG_FILE`);
/// the region from `AWS_REGION`, `AWS_DEFAULT_REGION` or the profile; the endpoint from
/// `--s3-endpoint`, `AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL`, the profile's `endpoint_url`, else
/// AWS's own for the region. Requests are path style (`ENDPOINT/BUCKET/KEY`), which MinIO, Ceph,
/// Garage and AWS all serve.
public struct S3Settings: Sendable {
  /// The endpoint URL, without a trailing slash.
  public var endpoint: String
  /// The region requests are signed for.
  public var region: String
  /// The keys.
  public var credentials: S3Credentials

  /// Settings from their parts.
  public init(endpoint: String, region: String, credentials: S3Credentials) {
    self.endpoint = endpoint
    self.region = region
    self.credentials = credentials
  }

  /// The settings `endpoint` and `profile` (the command's options, nil when not given) and the
  /// environment give.
  ///
  /// - Throws: `CellarError.usage` when no credentials are found, or a named profile is not.
  public static func resolve(
    endpoint: String?, profile: String?, environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws -> S3Settings {
    // A variable set to nothing is not set (an empty key signs every request with no key).
    let environment = environment.filter { !$0.value.isEmpty }
    let home = environment["HOME"] ?? NSHomeDirectory()
    let credentialsFile = AWSProfileFile(
      path: environment["AWS_SHARED_CREDENTIALS_FILE"] ?? home + "/.aws/credentials", isConfig: false)
    let configFile = AWSProfileFile(path: environment["AWS_CONFIG_FILE"] ?? home + "/.aws/config", isConfig: true)
    let name = profile ?? environment["AWS_PROFILE"] ?? "default"
    let fromFiles = credentialsFile.profile(name).merging(configFile.profile(name)) { first, _ in first }
    if profile != nil, fromFiles.isEmpty {
      throw CellarError.usage("no AWS profile named \(name) in \(credentialsFile.path) or \(configFile.path)")
    }

    let credentials: S3Credentials
    if profile == nil, let key = environment["AWS_ACCESS_KEY_ID"], let secret = environment["AWS_SECRET_ACCESS_KEY"] {
      credentials = S3Credentials(accessKey: key, secretKey: secret, sessionToken: environment["AWS_SESSION_TOKEN"])
    } else if let key = fromFiles["aws_access_key_id"], let secret = fromFiles["aws_secret_access_key"] {
      credentials = S3Credentials(accessKey: key, secretKey: secret, sessionToken: fromFiles["aws_session_token"])
    } else {
      throw CellarError.usage(
        "no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE (or --s3-profile) "
          + "naming a profile of \(credentialsFile.path)")
    }
    let region = environment["AWS_REGION"] ?? environment["AWS_DEFAULT_REGION"] ?? fromFiles["region"] ?? "us-east-1"
    var url =
      endpoint ?? environment["AWS_ENDPOINT_URL_S3"] ?? environment["AWS_ENDPOINT_URL"] ?? fromFiles["endpoint_url"]
      ?? "https://s3.\(region).amazonaws.com"
    while url.hasSuffix("/") { url.removeLast() }
    guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
      throw CellarError.usage("\(url): an S3 endpoint is an http:// or https:// URL")
    }
    return S3Settings(endpoint: url, region: region, credentials: credentials)
  }

  /// A client for `bucket`, with its own connections.
  func client(bucket: String) throws -> S3Client {
    try S3Client(endpoint: endpoint, bucket: bucket, credentials: StaticCredentials(credentials), region: region)
  }
}

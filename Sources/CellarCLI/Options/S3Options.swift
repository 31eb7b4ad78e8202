// CellarCLI: where an `s3://BUCKET/KEY` archive is read from.
import ArgumentParser
import CellarCore

/// `--s3-endpoint` and `--s3-profile`; the rest comes from the environment and the AWS files, as
/// the AWS CLI finds it (`S3Settings.resolve`).
struct S3Options: ParsableArguments {
  @Option(
    name: .customLong("s3-endpoint"),
    help: ArgumentHelp(
      "The S3 endpoint for s3:// archives (MinIO, Ceph, Garage…; default: AWS_ENDPOINT_URL, else AWS).",
      valueName: "url"))
  var endpoint: String?

  @Option(
    name: .customLong("s3-profile"),
    help: ArgumentHelp(
      "The AWS profile for s3:// archives (default: AWS_PROFILE, else the environment's keys).", valueName: "name"))
  var profile: String?

  /// Takes from `profile` what no flag gave.
  mutating func fill(from profile: Profile) {
    endpoint = endpoint ?? profile.string(.s3Endpoint)
    self.profile = self.profile ?? profile.string(.s3Profile)
  }

  /// The settings for `archive` when it is an `s3://` URL; nil for a local archive.
  func settings(for archive: String) throws -> S3Settings? {
    guard try S3ObjectURL(archive) != nil else { return nil }
    return try S3Settings.resolve(endpoint: endpoint, profile: profile)
  }

  /// The settings for `names` when one is an `s3://` URL, made the ones every `s3://` name the
  /// command meets is read with (`S3Access`).
  @discardableResult
  func install(for names: [String]) throws -> S3Settings? {
    guard let remote = try names.first(where: { try S3ObjectURL($0) != nil }) else { return nil }
    let settings = try settings(for: remote)
    S3Access.use(settings)
    return settings
  }
}

// CellarCore: how the running command reaches `s3://` archives it meets while reading.
import Synchronization

/// The S3 settings of the running command (`--s3-endpoint`, `--s3-profile`, the AWS
/// environment), for every `s3://` archive or sidecar a reader meets, down to the earlier
/// archives of a chain.
public enum S3Access {
  private static let stored = Mutex<S3Settings?>(nil)

  /// Makes `settings` the ones `s3://` names are read with.
  public static func use(_ settings: S3Settings?) {
    stored.withLock { $0 = settings }
  }

  /// The settings in use, if any.
  static var current: S3Settings? { stored.withLock { $0 } }
}

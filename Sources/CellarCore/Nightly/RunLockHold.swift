// CellarCore: the lock a run holds, whichever kind its output's place takes.
import Foundation

/// A held lock: a local lock file (`RunLock`), an S3 lease (`S3Lease`), or none.
enum RunLockHold: Sendable {
  case none
  case file(RunLock)
  case lease(S3Lease)

  /// Takes the lock at `path` (nil: none), a file or an `s3://` object.
  static func acquire(_ path: String?, s3: S3Settings?, tracker: ProgressTracker) async throws -> RunLockHold {
    guard let path else { return .none }
    guard let url = try S3ObjectURL(path) else { return .file(try await RunLock.acquire(path, tracker: tracker)) }
    guard let s3 else { throw CellarError.usage("\(path): an S3 lock needs S3 settings") }
    return .lease(try await S3Lease.acquire(url, settings: s3, tracker: tracker))
  }

  /// Releases the lock.
  func release() async {
    switch self {
    case .none: break
    case .file(let lock): lock.release()
    case .lease(let lease): await lease.release()
    }
  }
}

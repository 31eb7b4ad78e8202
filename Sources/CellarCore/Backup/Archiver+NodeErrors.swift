// CellarCore: what the archive stage does with a file it cannot read: a node error, unless the
// credentials are refused (docs/architecture.md, "Backup stages").
import CellsKit
import S3Kit

extension Archiver {
  /// Leaves a file out as a node error (listed in the sidecar's errors, exit 3).
  ///
  /// A file the server refuses (403), that vanished since the listing (404) or that keeps
  /// failing is one node: the run goes on. Only what no other file would escape stops it:
  /// cancellation, and credentials the server refuses outright (401, an expired token).
  func skip(_ node: TreeNode, because error: any Error) async throws {
    if error is CancellationError || Self.refusesCredentials(error) { throw error }
    var reason = "\(error)"
    switch error {
    case S3Error.accessDenied:
      // The gateway says "access denied" for an expired token too: ask REST, which tells.
      if case .failure(let rest) = await Self.restStat(connection.rest, node.path), Self.refusesCredentials(rest) {
        throw rest
      }
    case S3Error.notFound:
      if case .success(nil) = await Self.restStat(connection.rest, node.path) {
        reason = "deleted on the server since it was listed (404)"
      }
    default: break
    }
    failures.add(node.path, "not archived: \(reason)")
  }

  /// Whether `error` says the server refuses this run's credentials, not one node.
  private static func refusesCredentials(_ error: any Error) -> Bool {
    switch error {
    case CellsAPIError.unauthorized, CellsAPIError.tokenExpired, CellsAPIError.loginFailed: true
    default: false
    }
  }

  /// What REST says of `path`: its node, nil when it is not there, or the error it answered.
  private static func restStat(_ rest: CellsClient, _ path: String) async -> Result<TreeNode?, any Error> {
    do {
      return .success(try await rest.stat(path))
    } catch {
      return .failure(error)
    }
  }
}

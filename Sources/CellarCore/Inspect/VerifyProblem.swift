// CellarCore: one thing `cellar verify` found wrong, named by what is damaged.

/// A problem found by `cellar verify`; reported as an `error` event whose message starts with
/// the kind ("data: …").
public struct VerifyProblem: Sendable, Equatable, CustomStringConvertible {
  /// What is damaged or out of date.
  public enum Kind: String, Sendable {
    /// The archive file as a whole: unreadable, truncated, or not the one the sidecar records.
    case archive
    /// A member's bytes differ from what the manifest records.
    case data
    /// The manifest: damaged, missing, or out of step with the members.
    case manifest
    /// The sidecar: damaged, or changed after the backup.
    case sidecar
    /// The live server differs from the manifest (`--remote`).
    case remote
    /// A chain of incremental backups: a link that does not hold (wrong order, an archive
    /// changed), or bytes the last state takes from an earlier archive missing or different there.
    case chain
  }

  /// What is damaged.
  public var kind: Kind
  /// The node, member or file concerned.
  public var path: String
  /// What is wrong, in words.
  public var message: String

  /// A problem of `kind` at `path`.
  public init(_ kind: Kind, _ path: String, _ message: String) {
    self.kind = kind
    self.path = path
    self.message = message
  }

  /// "kind: message".
  public var description: String { "\(kind.rawValue): \(message)" }
}

extension ProgressTracker {
  /// Records and reports a problem found by a verification.
  func fail(_ problem: VerifyProblem) {
    if problem.kind == .remote { update { $0.serverChanges += 1 } }
    fail(problem.path, problem.description)
  }
}

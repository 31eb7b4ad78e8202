// CellarCore: why a restore stopped before (or instead of) writing anything.

/// A restore that cannot go on.
public enum RestoreError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The archive is damaged, truncated, or holds something restore refuses (a link, a device, a
  /// name that escapes its root); nothing was uploaded.
  case refusedArchive(archive: String, reason: String)
  /// A member the manifest does not describe; nothing was uploaded.
  case unexplainedMember(archive: String, path: String)
  /// A member that lies outside the archive's source roots, so it has no place under the target.
  case outsideSource(archive: String, path: String)
  /// The archive's checksum differs from the one the sidecar recorded.
  case checksumMismatch(archive: String, expected: String, actual: String)
  /// `--on-conflict fail` met an existing node; nothing was written.
  case conflict(path: String)
  /// The sidecar and the archive do not belong together.
  case sidecarMismatch(sidecar: String, reason: String)
  /// A member's bytes are not those its manifest recorded; that node is not restored.
  case damagedMember(reason: String)

  /// One line for the user.
  public var description: String {
    switch self {
    case .refusedArchive(let archive, let reason):
      "refusing to restore \(archive): \(reason); nothing was uploaded"
    case .unexplainedMember(let archive, let path):
      "refusing to restore \(archive): member \"\(path)\" is not in its manifest; nothing was uploaded"
    case .outsideSource(let archive, let path):
      "refusing to restore \(archive): member \"\(path)\" is outside the backed-up sources; nothing was uploaded"
    case .checksumMismatch(let archive, let expected, let actual):
      "refusing to restore \(archive): its SHA-256 is \(actual), the sidecar expects \(expected); nothing was uploaded"
    case .conflict(let path):
      "\(path) already exists (--on-conflict fail); nothing was written"
    case .sidecarMismatch(let sidecar, let reason): "the sidecar \(sidecar) does not match the archive: \(reason)"
    case .damagedMember(let reason): reason
    }
  }
}

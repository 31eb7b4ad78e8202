// CellarCore: one line of `cellar ls`.
import ArchiveKit

/// What a listing shows for one member: the manifest's node, or the member's own header when
/// the members themselves are listed.
public enum ListEntry: Sendable, Equatable {
  /// A node of the manifest (in archive order, as cellar writes them).
  case node(ManifestNode)
  /// A member as stored, with the SHA-256 of its bytes when they were read.
  case member(ArchiveMember, sha256: String?)
}

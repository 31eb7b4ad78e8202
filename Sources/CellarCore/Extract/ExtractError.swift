// CellarCore: why a member cannot be extracted, in words the user can act on.

/// A failure of `cellar cat` or `cellar extract`.
public enum ExtractError: Error, Equatable, Sendable, CustomStringConvertible {
  /// No node of the archive is at or below `path`.
  case notInArchive(path: String, archive: String)
  /// `cellar cat` was given a folder.
  case isFolder(path: String)
  /// `cellar cat` was given a path that names more than one file.
  case ambiguous(path: String, matches: [String])
  /// The bytes read are not the ones the manifest records.
  case digestMismatch(path: String, expected: String, actual: String)
  /// The member is not where the manifest says, or not there at all.
  case missingMember(path: String)
  /// The archive holds a member its own manifest does not list.
  case notInManifest(path: String)
  /// An incremental backup's unchanged file: its bytes are in an earlier archive.
  case storedElsewhere(path: String, archive: String)
  /// The backup recorded the file's bytes as damaged.
  case damaged(path: String)
  /// A name that must not be followed onto the local disk.
  case unsafeName(path: String, reason: String)
  /// Something on the local disk is in the way.
  case blocked(path: String, reason: String)

  /// One line for the user.
  public var description: String {
    switch self {
    case .notInArchive(let path, let archive): "\(path): not in \(archive)"
    case .isFolder(let path): "\(path) is a folder: cellar cat writes one file (cellar extract takes folders)"
    case .ambiguous(let path, let matches):
      "\(path) names \(matches.count) files (\(matches.prefix(3).joined(separator: ", "))): "
        + "cellar cat writes one; give its whole path as cellar ls prints it"
    case .digestMismatch(let path, let expected, let actual):
      "\(path): the archive's bytes do not match the manifest (SHA-256 \(actual), recorded \(expected)); "
        + "the archive is damaged or was altered"
    case .missingMember(let path): "\(path): listed in the manifest but not found in the archive where it says"
    case .notInManifest(let path):
      "\(path): not in the archive's own manifest (added by something other than cellar); not extracted"
    case .storedElsewhere(let path, let archive):
      "\(path): unchanged since the earlier backup \(archive), which holds its bytes: extract it from that archive"
    case .damaged(let path): "\(path): recorded as damaged when it was backed up; not extracted"
    case .unsafeName(let path, let reason): "\(path): refused: \(reason)"
    case .blocked(let path, let reason): "\(path): \(reason)"
    }
  }
}

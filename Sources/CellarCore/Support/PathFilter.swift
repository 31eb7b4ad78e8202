// CellarCore: which nodes below a source a backup keeps (`--include`, `--exclude`).

/// Include and exclude globs matched on the path below the source.
///
/// A pattern with a "/" is anchored at the source (`docs/*.pdf`); one without matches a name at
/// any depth (`*.tmp`), as in .gitignore. `*` and `?` stay within one path segment, `**` spans any
/// number of segments, `[abc]` and `[a-z]` match one character of a class. Matching is on UTF-8
/// bytes, so NFC and NFD spellings of a name are different names, as they are on the server.
///
/// An excluded folder takes its whole subtree with it. When includes are given, a file is kept
/// only if one matches it; folders stay, so kept files keep their place.
public struct PathFilter: Sendable {
  private let includes: [GlobPattern]
  private let excludes: [GlobPattern]

  /// A filter; with no patterns at all it keeps everything.
  public init(include: [String] = [], exclude: [String] = []) throws {
    includes = try include.map(GlobPattern.init)
    excludes = try exclude.map(GlobPattern.init)
  }

  /// Whether the node at `relativePath` (below the source, no leading slash) is kept.
  public func keeps(_ relativePath: String, isFolder: Bool) -> Bool {
    if excludes.contains(where: { $0.matches(relativePath) }) { return false }
    if isFolder || includes.isEmpty { return true }
    return includes.contains { $0.matches(relativePath) }
  }
}

// CellarCore: where each archived node goes on the server (`--to`, `--only`, admin archives).
import CellsKit

/// Maps an archive member's path (the node's Cells path at backup time) to the Cells path it is
/// restored to.
///
/// Paths are compared as UTF-8 bytes, so NFC and NFD spellings stay distinct.
struct TargetMapper: Sendable {
  /// Where a member goes.
  enum Target: Equatable, Sendable {
    /// This user-context Cells path.
    case path(String)
    /// Left out by `--only`.
    case excluded
    /// It has nowhere to go (the message says why).
    case unmapped(String)
  }

  /// The archive's source roots, the longest first (the root of everything for an archive of
  /// the whole tree).
  let roots: [CellsPath]
  /// The path replacing the source root; nil keeps the original paths.
  let destination: CellsPath?
  /// `--only` patterns, matched on the path below the root or on the whole path (as `cellar ls`
  /// prints it).
  let only: [GlobPattern]
  /// The `only` patterns that name one path (`cellar drill` gives hundreds), by that path: looked
  /// up rather than matched.
  private let literals: [String: [Int]]
  /// The indices of the other `only` patterns.
  private let globs: [Int]
  /// For an admin-context archive restored to its original place: the workspaces that expose
  /// each datasource path.
  let workspaces: WorkspaceMapping?

  init(roots: [String], destination: String?, only: [String], workspaces: WorkspaceMapping? = nil) throws {
    self.roots = roots.map(CellsPath.init).sorted { $0.string.utf8.count > $1.string.utf8.count }
    self.destination = destination.map(CellsPath.init)
    let patterns = try only.map(GlobPattern.init)
    var literals: [String: [Int]] = [:]
    for (index, pattern) in patterns.enumerated() {
      if let path = pattern.literal { literals[path, default: []].append(index) }
    }
    self.only = patterns
    self.literals = literals
    globs = patterns.indices.filter { patterns[$0].literal == nil }
    self.workspaces = workspaces
  }

  /// The source root `path` lies under (the longest), or nil.
  func root(of path: String) -> CellsPath? {
    let path = CellsPath(path)
    return roots.first { $0.contains(path) }
  }

  /// Whether `--only` leaves the node at `path` out.
  func excludes(_ path: String) -> Bool {
    if case .excluded = target(for: path) { return true }
    return false
  }

  /// Where the member at `path` goes.
  func target(for path: String) -> Target {
    guard let root = root(of: path), let relative = root.relative(CellsPath(path)) else {
      return .unmapped("outside the archive's sources")
    }
    if !only.isEmpty, !selected(relative), !selected(path) { return .excluded }
    if let destination {
      let base = roots.count > 1 && !root.isRoot ? destination.appending(root.name) : destination
      return .path(base.appending(relative).string)
    }
    if let workspaces {
      guard let user = workspaces.userPath(forAdminPath: path) else {
        return .unmapped("no workspace you can read exposes \(path); restore it with --to")
      }
      return .path(user)
    }
    return .path(path)
  }

  /// Whether `--only` keeps `path` (relative to the root, or whole): a pattern matches it or one
  /// of its folders.
  private func selected(_ path: String) -> Bool {
    !literalPatterns(keeping: path).isEmpty || globs.contains { Self.keeps(only[$0], path) }
  }

  /// The indices of the literal patterns naming `path` or one of its folders.
  private func literalPatterns(keeping path: String) -> [Int] {
    guard !literals.isEmpty else { return [] }
    let path = CellsPath(path)
    guard !path.isRoot else { return [] }
    return ([path] + path.ancestors).flatMap { literals[$0.string] ?? [] }
  }

  /// The indices of the `--only` patterns that keep the member at `path`, so that a restore can
  /// tell which patterns matched nothing.
  func onlyPatterns(keeping path: String) -> [Int] {
    let relative = root(of: path)?.relative(CellsPath(path)) ?? ""
    let matched = globs.filter { Self.keeps(only[$0], relative) || Self.keeps(only[$0], path) }
    return Set(literalPatterns(keeping: relative) + literalPatterns(keeping: path) + matched).sorted()
  }

  /// Whether `pattern` matches `path` or one of the folders above it.
  private static func keeps(_ pattern: GlobPattern, _ path: String) -> Bool {
    let path = CellsPath(path)
    guard !path.isRoot else { return false }
    return ([path] + path.ancestors).contains { pattern.matches($0.string) }
  }
}

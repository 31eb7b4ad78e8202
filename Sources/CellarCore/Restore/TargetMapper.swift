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

  /// The archive's source roots, trimmed ("" for everything).
  let roots: [String]
  /// The path replacing the source root, trimmed; nil keeps the original paths.
  let destination: String?
  /// `--only` patterns, matched on the path below the root or on the whole path (as `cellar ls`
  /// prints it).
  let only: [GlobPattern]
  /// For an admin-context archive restored to its original place: the workspaces that expose
  /// each datasource path.
  let workspaces: WorkspaceMapping?

  init(roots: [String], destination: String?, only: [String], workspaces: WorkspaceMapping? = nil) throws {
    self.roots = roots.map(Self.trim).sorted { $0.utf8.count > $1.utf8.count }
    self.destination = destination.map(Self.trim)
    self.only = try only.map(GlobPattern.init)
    self.workspaces = workspaces
  }

  /// The source root `path` lies under (the longest), or nil.
  func root(of path: String) -> String? {
    roots.first { Self.isWithin(path, $0) }
  }

  /// Where the member at `path` goes.
  func target(for path: String) -> Target {
    guard let root = root(of: path) else { return .unmapped("outside the archive's sources") }
    let relative = Self.relative(path, to: root)
    if !only.isEmpty, !selected(relative), !selected(path) { return .excluded }
    if let destination {
      var base = destination
      if roots.count > 1, !root.isEmpty { base = Self.join(destination, Self.name(of: root)) }
      return .path(Self.join(base, relative))
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
    only.contains { Self.keeps($0, path) }
  }

  /// The indices of the `--only` patterns that keep the member at `path`, so that a restore can
  /// tell which patterns matched nothing.
  func onlyPatterns(keeping path: String) -> [Int] {
    let relative = root(of: path).map { Self.relative(path, to: $0) } ?? ""
    return only.indices.filter { Self.keeps(only[$0], relative) || Self.keeps(only[$0], path) }
  }

  private static func keeps(_ pattern: GlobPattern, _ path: String) -> Bool {
    guard !path.isEmpty else { return false }
    var prefix = ""
    for name in path.split(separator: "/", omittingEmptySubsequences: true) {
      prefix = join(prefix, String(name))
      if pattern.matches(prefix) { return true }
    }
    return false
  }

  // MARK: - Path helpers (bytes, never String ==)

  /// `path` without leading or trailing slashes.
  static func trim(_ path: String) -> String {
    var slice = Substring(path)
    while slice.hasPrefix("/") { slice.removeFirst() }
    while slice.hasSuffix("/") { slice.removeLast() }
    return String(slice)
  }

  /// Whether `path` is `root` or below it.
  static func isWithin(_ path: String, _ root: String) -> Bool {
    if root.isEmpty { return true }
    let bytes = Array(path.utf8)
    let rootBytes = Array(root.utf8)
    return bytes == rootBytes || (bytes.starts(with: rootBytes + [UInt8(ascii: "/")]))
  }

  /// `path` below `root` ("" for the root itself); `path` must be within `root`.
  static func relative(_ path: String, to root: String) -> String {
    if root.isEmpty { return path }
    let bytes = Array(path.utf8)
    let count = root.utf8.count
    return bytes.count <= count ? "" : String(decoding: bytes[(count + 1)...], as: UTF8.self)
  }

  /// `parent/child`, either side possibly empty.
  static func join(_ parent: String, _ child: String) -> String {
    parent.isEmpty ? child : child.isEmpty ? parent : parent + "/" + child
  }

  /// The last component.
  static func name(of path: String) -> String {
    let bytes = Array(path.utf8)
    guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return path }
    return String(decoding: bytes[(slash + 1)...], as: UTF8.self)
  }

  /// Everything before the last component ("" at the top).
  static func parent(of path: String) -> String {
    let bytes = Array(path.utf8)
    guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return "" }
    return String(decoding: bytes[..<slash], as: UTF8.self)
  }
}

// CellarCore: decides, node by node, what restore does at each target path
// (docs/architecture.md, "Restore data path").
import CellsKit

/// Turns each archived node and its target path into a step, under the conflict policy.
///
/// It remembers the folders it renamed (their subtrees follow them) and the subtrees it gave up
/// (a file where a folder should be, left alone). Used by one task at a time.
final class RestorePlanner {
  /// What to do with one node.
  enum Step: Equatable {
    /// Create this folder.
    case createFolder(String)
    /// The folder exists: restore into it.
    case mergeFolder(String)
    /// Upload the file here; `replacing` when a file is overwritten.
    case upload(String, replacing: Bool)
    /// Keep the existing file; `identical` when it has the archived size and hash.
    case skip(String, identical: Bool)
    /// Nothing is restored here, nor below (a folder's place is taken by a file, or the other
    /// way round under overwrite); `isError` for the node that was blocked, not for its subtree.
    case drop(String, reason: String, isError: Bool)
  }

  private let tree: TargetTree
  private let policy: ConflictPolicy
  private var renamed: [(from: String, to: String)] = []
  private var dropped: [String] = []

  init(tree: TargetTree, policy: ConflictPolicy) {
    self.tree = tree
    self.policy = policy
  }

  /// The step for a node planned at `target`.
  ///
  /// `size` and `contentHash` describe the archived file (nil hash: unknown). Throws
  /// `RestoreError.conflict` under `--on-conflict fail`.
  func step(for target: String, isFolder: Bool, size: Int64?, contentHash: String?) async throws -> Step {
    if dropped.contains(where: { CellsPath($0).contains(CellsPath(target)) }) {
      return .drop(target, reason: "its folder was not restored", isError: false)
    }
    let target = follow(target)
    let existing = try await tree.existing(target)
    guard let existing, !existing.isTemporary else {
      tree.record(target, TargetTree.Existing(isFolder: isFolder, size: size ?? 0, contentHash: contentHash))
      return isFolder ? .createFolder(target) : .upload(target, replacing: existing != nil)
    }
    if isFolder, existing.isFolder { return .mergeFolder(target) }
    let identical =
      !isFolder && !existing.isFolder && size == existing.size && contentHash != nil
      && contentHash == existing.contentHash
    let typeClash = isFolder != existing.isFolder
    switch policy {
    case .fail:
      throw RestoreError.conflict(path: target)
    case .skip:
      if isFolder {
        // The whole subtree stays out: not a clean skip, so an error (exit 3), as a differing file is.
        dropped.append(target)
        return .drop(target, reason: "a file has this name; nothing below this folder was restored", isError: true)
      }
      return .skip(target, identical: identical)
    case .overwrite:
      if typeClash {
        if isFolder { dropped.append(target) }
        return .drop(target, reason: "a \(existing.isFolder ? "folder" : "file") has this name", isError: true)
      }
      tree.record(target, TargetTree.Existing(isFolder: false, size: size ?? 0, contentHash: contentHash))
      return .upload(target, replacing: true)
    case .rename:
      let free = try await freeName(for: target)
      tree.record(free, TargetTree.Existing(isFolder: isFolder, size: size ?? 0, contentHash: contentHash))
      if isFolder {
        renamed.append((target, free))
        return .createFolder(free)
      }
      return .upload(free, replacing: false)
    }
  }

  /// `target` moved along with a renamed folder it lies in.
  private func follow(_ target: String) -> String {
    for (from, to) in renamed.reversed() {
      if let below = CellsPath(from).relative(CellsPath(target)) { return CellsPath(to).appending(below).string }
    }
    return target
  }

  private func freeName(for target: String) async throws -> String {
    let path = CellsPath(target)
    var attempt = 1
    while true {
      let candidate = path.parent.appending(ConflictPolicy.renamed(path.name, attempt: attempt)).string
      if try await tree.existing(candidate) == nil { return candidate }
      attempt += 1
    }
  }
}

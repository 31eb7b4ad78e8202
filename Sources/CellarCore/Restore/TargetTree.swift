// CellarCore: what already exists where restore writes, learnt with one listing per folder.
import CellsKit

/// The server's tree under the restore's targets, as far as restore needs it: which names are
/// taken in each target folder.
///
/// Each folder is listed once (paged) and kept in a small cache of recent folders; nodes that
/// restore plans or creates are recorded so later decisions see them. A folder that does not
/// exist needs no listing, and neither does anything below it. Dot-files, which REST listings
/// hide, are looked up one by one. Used by one task at a time.
final class TargetTree {
  /// A node that exists at a target path.
  struct Existing: Sendable, Equatable {
    /// A folder (or a workspace root).
    var isFolder: Bool
    /// Bytes.
    var size: Int64 = 0
    /// `x-cells-hash`, when indexed.
    var contentHash: String?
    /// An upload that never finished (`Etag: "temporary"`).
    var isTemporary = false
  }

  private let client: CellsClient
  private let capacity: Int
  private var listings: [[UInt8]: [[UInt8]: Existing]] = [:]
  private var listedOrder: [[UInt8]] = []
  private var missing: Set<[UInt8]> = []
  /// Folder listings made so far.
  private(set) var listingCount = 0

  init(client: CellsClient, capacity: Int = 128) {
    self.client = client
    self.capacity = capacity
  }

  /// The node at `path`, or nil when the path is free.
  func existing(_ path: String) async throws -> Existing? {
    let parent = TargetMapper.parent(of: path)
    // A workspace root always exists (or cannot be created); uploads below it say if it does not.
    if parent.isEmpty { return Existing(isFolder: true) }
    if isMissing(parent) { return nil }
    let name = TargetMapper.name(of: path)
    if name.hasPrefix(".") {
      return try await client.stat(path).map(Self.existing)
    }
    let key = Array(parent.utf8)
    if listings[key] == nil {
      guard let listing = try await list(parent) else { return nil }
      remember(key, listing)
    }
    return listings[key]?[Array(name.utf8)]
  }

  /// Records that `path` now holds `node` (nil: removed), or will in a dry run.
  func record(_ path: String, _ node: Existing?) {
    let key = Array(TargetMapper.parent(of: path).utf8)
    listings[key]?[Array(TargetMapper.name(of: path).utf8)] = node
    if node?.isFolder == true {
      // A folder restore creates is empty but for what restore puts there.
      let folder = Array(path.utf8)
      if listings[folder] == nil { remember(folder, [:]) }
      missing.remove(folder)
    }
  }

  private func isMissing(_ folder: String) -> Bool {
    var bytes = Array(folder.utf8)
    while !bytes.isEmpty {
      if missing.contains(bytes) { return true }
      guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return false }
      bytes.removeSubrange(slash...)
    }
    return false
  }

  private func list(_ folder: String) async throws -> [[UInt8]: Existing]? {
    var children: [[UInt8]: Existing] = [:]
    listingCount += 1
    do {
      try await client.listFolder(folder) { page in
        for node in page { children[Array(node.name.utf8)] = Self.existing(node) }
      }
    } catch CellsAPIError.notFound {
      missing.insert(Array(folder.utf8))
      return nil
    }
    return children
  }

  private func remember(_ key: [UInt8], _ listing: [[UInt8]: Existing]) {
    if listings.updateValue(listing, forKey: key) == nil { listedOrder.append(key) }
    while listedOrder.count > capacity { listings[listedOrder.removeFirst()] = nil }
  }

  private static func existing(_ node: TreeNode) -> Existing {
    Existing(isFolder: node.isFolder, size: node.size, contentHash: node.contentHash, isTemporary: node.isTemporary)
  }
}

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
  /// The children of each listed folder, by name bytes.
  private var listings: [CellsPath: [[UInt8]: Existing]] = [:]
  private var listedOrder: [CellsPath] = []
  private var missing: Set<CellsPath> = []
  /// Folder listings made so far.
  private(set) var listingCount = 0

  init(client: CellsClient, capacity: Int = 128) {
    self.client = client
    self.capacity = capacity
  }

  /// The node at `path`, or nil when the path is free.
  func existing(_ path: String) async throws -> Existing? {
    let path = CellsPath(path)
    let parent = path.parent
    // A workspace root always exists (or cannot be created); uploads below it say if it does not.
    if parent.isRoot { return Existing(isFolder: true) }
    if isMissing(parent) { return nil }
    if path.name.hasPrefix(".") {
      return try await client.stat(path.string).map(Self.existing)
    }
    if listings[parent] == nil {
      guard let listing = try await list(parent) else { return nil }
      remember(parent, listing)
    }
    return listings[parent]?[Array(path.name.utf8)]
  }

  /// Records that `path` now holds `node` (nil: removed), or will in a dry run.
  func record(_ path: String, _ node: Existing?) {
    let path = CellsPath(path)
    listings[path.parent]?[Array(path.name.utf8)] = node
    if node?.isFolder == true {
      // A folder restore creates is empty but for what restore puts there.
      if listings[path] == nil { remember(path, [:]) }
      missing.remove(path)
    }
  }

  /// Whether `folder`, or a folder above it, is known not to exist.
  private func isMissing(_ folder: CellsPath) -> Bool {
    !missing.isEmpty && ([folder] + folder.ancestors).contains { missing.contains($0) }
  }

  private func list(_ folder: CellsPath) async throws -> [[UInt8]: Existing]? {
    var children: [[UInt8]: Existing] = [:]
    listingCount += 1
    do {
      try await client.listFolder(folder.string) { page in
        for node in page { children[Array(node.name.utf8)] = Self.existing(node) }
      }
    } catch CellsAPIError.notFound {
      missing.insert(folder)
      return nil
    }
    return children
  }

  private func remember(_ folder: CellsPath, _ listing: [[UInt8]: Existing]) {
    if listings.updateValue(listing, forKey: folder) == nil { listedOrder.append(folder) }
    while listedOrder.count > capacity { listings[listedOrder.removeFirst()] = nil }
  }

  private static func existing(_ node: TreeNode) -> Existing {
    Existing(isFolder: node.isFolder, size: node.size, contentHash: node.contentHash, isTemporary: node.isTemporary)
  }
}

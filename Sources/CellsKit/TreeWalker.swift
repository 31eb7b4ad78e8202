// CellsKit: a complete walk of a user-context subtree, dot-files included.
import S3Kit

/// Visits every node below a Cells path, depth first, in the server's listing order.
///
/// REST hides dot-files from listings, so each folder is also listed over S3 (when an S3 client
/// is given) and the names REST left out are stat'ed; `.pydio` folder markers are skipped, and
/// so are workspaces' `recycle_bin` folders unless asked for. Up to `parallelism` folders are
/// listed at once (the next ones the walk will reach), while nodes are visited strictly in order.
/// Memory holds the folders still to visit and the listings fetched ahead, never the whole tree.
public struct TreeWalker: Sendable {
  /// The REST client.
  public let client: CellsClient
  /// The S3 client that finds dot-files, or nil to skip them.
  public let s3: S3Client?
  /// Folders listed at once.
  public let parallelism: Int
  /// Whether workspace recycle bins are walked too.
  public let includeRecycleBin: Bool

  /// A walker over `client` (and `s3` for dot-files).
  public init(client: CellsClient, s3: S3Client?, parallelism: Int = 4, includeRecycleBin: Bool = false) {
    self.client = client
    self.s3 = s3
    self.parallelism = max(1, parallelism)
    self.includeRecycleBin = includeRecycleBin
  }

  /// Visits the node at `root` ("" or "/" for every workspace) and everything below it.
  ///
  /// `visit` is awaited for each node before the next, so a slow consumer slows the walk.
  public func walk(_ root: String, visit: (TreeNode) async throws -> Void) async throws {
    let rootPath = CellsClient.trimSlashes(root)
    var pending: [String] = []
    if rootPath.isEmpty {
      for workspace in try await client.workspaces() {
        try await visit(workspace)
        pending.insert(workspace.path, at: 0)
      }
    } else {
      guard let node = try await client.stat(rootPath) else {
        throw CellsAPIError.notFound(operation: "walk", path: rootPath, detail: "")
      }
      try await visit(node)
      guard node.isFolder else { return }
      pending = [rootPath]
    }
    var ahead: [String: Task<[TreeNode], any Error>] = [:]
    defer { for task in ahead.values { task.cancel() } }
    while let folder = pending.popLast() {
      for next in [folder] + pending.suffix(parallelism - 1).reversed() where ahead[next] == nil {
        ahead[next] = Task { [self] in try await children(of: next) }
      }
      let listing = try await ahead.removeValue(forKey: folder)!.value
      var subfolders: [String] = []
      for child in listing {
        try await visit(child)
        if child.isFolder { subfolders.append(child.path) }
      }
      pending.append(contentsOf: subfolders.reversed())
    }
  }

  /// The children of `folder` that a backup keeps, REST listing first, then dot-files.
  func children(of folder: String) async throws -> [TreeNode] {
    var children: [TreeNode] = []
    try await client.listFolder(folder) { page in children += page.filter(keeps) }
    guard let s3 else { return children }
    // Byte-wise: Swift's String equality would take an NFC name for its NFD twin.
    let listed = Set(children.map { Array($0.name.utf8) })
    let listing = try await s3.list(prefix: folder + "/", delimiter: "/")
    let names = listing.objects.map(\.key) + listing.commonPrefixes.map { String($0.dropLast()) }
    for key in names {
      let name = key.split(separator: "/").last.map(String.init) ?? key
      guard name.hasPrefix("."), name != ".pydio", !listed.contains(Array(name.utf8)) else { continue }
      if let node = try await client.stat(key), keeps(node) { children.append(node) }
    }
    return children
  }

  private func keeps(_ node: TreeNode) -> Bool {
    if node.name == ".pydio" { return false }
    let isWorkspaceChild = node.path.split(separator: "/").count == 2
    return includeRecycleBin || !(isWorkspaceChild && node.name == "recycle_bin")
  }
}

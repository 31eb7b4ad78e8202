// CellsKit: a complete walk of a subtree, dot-files included, in user or admin context.
import S3Kit

/// Visits every node below a Cells path, depth first, in the server's listing order.
///
/// In user context, REST hides dot-files from listings, so each folder is also listed over S3
/// (when an S3 client is given) and the names REST left out are stat'ed. In admin context the
/// datasource tree is listed with `/a/tree/admin/list`, which hides nothing. Either way `.pydio`
/// folder markers are skipped, and so are `recycle_bin` folders unless asked for.
///
/// Up to twice `parallelism` folders are listed ahead (the next ones the walk will reach, and
/// the subfolders of those already listed), while nodes are visited strictly in order. Memory
/// holds the folders still to visit and the listings fetched ahead, never the whole tree.
public struct TreeWalker: Sendable {
  /// Which tree a walk sees.
  public enum Context: String, Sendable {
    /// Workspace paths (`common-files/folder`), what the user sees.
    case user
    /// Datasource paths (`pydiods1/folder`), every user's content (admins only).
    case admin
  }

  /// The REST client.
  public let client: CellsClient
  /// The S3 client that finds dot-files, or nil to skip them.
  public let s3: S3Client?
  /// Folders listed at once.
  public let parallelism: Int
  /// Whether workspace recycle bins are walked too.
  public let includeRecycleBin: Bool
  /// The tree walked.
  public let context: Context

  /// A walker over `client` (and `s3` for dot-files in user context).
  public init(
    client: CellsClient, s3: S3Client?, context: Context = .user, parallelism: Int = 8, includeRecycleBin: Bool = false
  ) {
    self.client = client
    self.context = context
    self.s3 = s3
    self.parallelism = max(1, parallelism)
    self.includeRecycleBin = includeRecycleBin
  }

  /// Visits the node at `root` ("" or "/" for every workspace or datasource) and everything below it.
  ///
  /// `visit` is awaited for each node before the next, so a slow consumer slows the walk.
  public func walk(_ root: String, visit: (TreeNode) async throws -> Void) async throws {
    try await walk(root) { node in
      try await visit(node)
      return true
    }
  }

  /// Visits like `walk(_:visit:)`; `visit` returns false to leave a folder's subtree out, and
  /// `unreadable` decides what a folder that cannot be listed does to the walk.
  ///
  /// `unreadable` receives the folder and the error when its listing is refused (403) or gone
  /// (404), or keeps contradicting the server (`TreeWalkError`); it rethrows to stop the walk
  /// (the default) or returns to go on without that subtree.
  /// Other errors (the server unreachable after retries, credentials refused) always stop it.
  public func walk(
    _ root: String, unreadable: (String, any Error) async throws -> Void = { throw $1 },
    visit: (TreeNode) async throws -> Bool
  ) async throws {
    let rootPath = CellsPath(root).string
    var pending: [String] = []
    if rootPath.isEmpty {
      let roots = context == .user ? try await client.workspaces() : try await client.adminList("/")
      for root in roots.map(asFolderWhenUntyped) where try await visit(root) {
        pending.insert(root.path, at: 0)
      }
    } else {
      let found = context == .user ? try await client.stat(rootPath) : try await client.adminStat(rootPath)
      guard let node = found.map(asFolderWhenUntyped) else {
        throw CellsAPIError.notFound(operation: "walk", path: rootPath, detail: "")
      }
      guard try await visit(node), node.isFolder else { return }
      pending = [rootPath]
    }
    let ahead = ListingPrefetcher(capacity: parallelism * 2) { [self] in try await checkedChildren(of: $0) }
    defer { Task { await ahead.cancelAll() } }
    while let folder = pending.popLast() {
      await ahead.prefetch(pending.suffix(parallelism - 1).reversed())
      let listing: [TreeNode]
      do {
        listing = try await ahead.take(folder)
      } catch  where Self.isUnreadable(error) {
        try await unreadable(folder, error)
        continue
      }
      var subfolders: [String] = []
      for child in listing.map(asFolderWhenUntyped) where try await visit(child) && child.isFolder {
        subfolders.append(child.path)
      }
      pending.append(contentsOf: subfolders.reversed())
    }
  }

  /// Listings of one folder tried before a contradiction is the folder's error.
  static let listingAttempts = 5

  /// The children of `folder`, listed again while the listing contradicts what the server says
  /// elsewhere (`Listing.contradiction`): a listing cut short or answered empty must not pass
  /// for the folder's content.
  func checkedChildren(of folder: String) async throws -> [TreeNode] {
    var attempt = 1
    while true {
      let listing = try await children(of: folder)
      guard let contradiction = listing.contradiction else { return listing.children }
      guard attempt < Self.listingAttempts else {
        throw TreeWalkError.contradictoryListing(folder: folder, detail: contradiction)
      }
      attempt += 1
    }
  }

  /// One listing of a folder, with what it can be checked against.
  struct Listing {
    /// The children a backup keeps.
    var children: [TreeNode]
    /// Why the listing cannot be the folder's whole content, or nil.
    var contradiction: String?
  }

  /// The children of `folder` that a backup keeps, REST listing first, then dot-files; checked
  /// against the folder's own `ChildrenCount` (a fresh stat) and, in user context, against the
  /// S3 gateway's listing of the same folder.
  func children(of folder: String) async throws -> Listing {
    // The count beside the listings (a file deleted in between makes a false shortfall, which the
    // next listing clears; one created in between only makes the listing longer).
    async let counted = context == .user ? client.stat(folder) : client.adminStat(folder)
    if context == .admin {
      let all = try await client.adminList(folder)
      let listed = all.filter { $0.name != ".pydio" }
      let expected = try await counted?.childrenCount
      return Listing(
        children: listed.filter(keeps),
        contradiction: Self.shortfall(listed.count, marker: listed.count < all.count, expected))
    }
    // All listings at once: a folder costs one round trip, not three.
    async let s3Listing = s3?.list(prefix: folder + "/", delimiter: "/")
    var children: [TreeNode] = []
    var listedNames: Set<[UInt8]> = []
    try await client.listFolder(folder) { page in
      for node in page { listedNames.insert(Array(node.name.utf8)) }
      children += page.filter(keeps)
    }
    let expected = try await counted?.childrenCount
    guard let s3, var listing = try await s3Listing else {
      // Without the gateway's listing, a marker may or may not be there.
      return Listing(children: children, contradiction: Self.shortfall(listedNames.count, marker: true, expected))
    }
    if listing.mayBeIncomplete {
      // The gateway cuts listings at max-keys without saying so: ask for more than REST counted,
      // and separately for the dot-files alone (docs/cells-protocol.md, "S3 listing cut at max-keys").
      listing = try await s3.list(prefix: folder + "/", delimiter: "/", maxKeys: children.count + 1000)
      let dotFiles = try await s3.list(prefix: folder + "/.", delimiter: "/")
      listing.objects += dotFiles.objects
      listing.commonPrefixes += dotFiles.commonPrefixes
    }
    // Byte-wise: Swift's String equality would take an NFC name for its NFD twin.
    var known = listedNames
    var dotFiles = 0
    var marker = false
    var unlisted: String?
    let names = listing.objects.map(\.key) + listing.commonPrefixes.map { String($0.dropLast()) }
    for key in names {
      let name = CellsPath(key).name
      if name == ".pydio" { marker = true }
      guard name != ".pydio", known.insert(Array(name.utf8)).inserted else { continue }
      guard name.hasPrefix(".") else {
        unlisted = unlisted ?? key
        continue
      }
      dotFiles += 1
      if let node = try await client.stat(key), keeps(node) { children.append(node) }
    }
    let contradiction =
      unlisted.map { "the S3 gateway lists \($0), which the REST listing lacks" }
      ?? Self.shortfall(listedNames.count + dotFiles, marker: marker, expected)
    return Listing(children: children, contradiction: contradiction)
  }

  /// The contradiction of a listing of `listed` children with a folder that counts `expected`.
  ///
  /// A folder's `.pydio` marker (`marker`: seen, or possibly there) may be in the count or not:
  /// Cells' index counts every child it holds, the listings hide the marker
  /// (docs/cells-protocol.md, "Dot-files and .pydio markers"). Counting it as listed accepts both;
  /// a server that leaves it out can then hide one missing child behind it, never more.
  private static func shortfall(_ listed: Int, marker: Bool, _ expected: Int?) -> String? {
    let seen = listed + (marker ? 1 : 0)
    guard let expected, seen < expected else { return nil }
    return "the listing holds \(listed) children, the folder counts \(expected)"
  }

  private func keeps(_ node: TreeNode) -> Bool {
    if node.name == ".pydio" { return false }
    guard !includeRecycleBin, node.name == "recycle_bin" else { return true }
    // Recycle bins sit at workspace roots: `ws/recycle_bin`; in the admin tree at datasource
    // roots or personal folder roots (`personal/alice/recycle_bin`).
    let depth = node.path.split(separator: "/").count
    return !(depth == 2 || (context == .admin && depth == 3 && node.path.hasPrefix("personal/")))
  }

  /// Whether `error` refuses one folder (403, gone, S3 access denied) rather than the whole walk.
  private static func isUnreadable(_ error: any Error) -> Bool {
    switch error {
    case CellsAPIError.forbidden, CellsAPIError.notFound, S3Error.accessDenied, TreeWalkError.contradictoryListing: true
    default: false
    }
  }

  /// Datasource roots come without a type; they are folders.
  private func asFolderWhenUntyped(_ node: TreeNode) -> TreeNode {
    guard node.type == .unknown else { return node }
    var folder = node
    folder.type = .collection
    return folder
  }
}

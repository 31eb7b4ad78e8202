// CellsKit: folder listings fetched ahead of a depth-first walk, so that deep, narrow trees (one
// subfolder under another) do not cost one round trip after another.

/// Lists folders ahead of the walk that will ask for them.
///
/// Each listing that arrives starts the listings of its subfolders, which a depth-first walk
/// visits next; at most `capacity` listings are in flight or waiting to be taken, which bounds
/// both the requests at once and the memory held. `take` always gets its folder, asked ahead or
/// not.
actor ListingPrefetcher {
  private let list: @Sendable (String) async throws -> [TreeNode]
  private let capacity: Int
  private var tasks: [String: Task<[TreeNode], any Error>] = [:]

  init(capacity: Int, list: @escaping @Sendable (String) async throws -> [TreeNode]) {
    self.capacity = max(1, capacity)
    self.list = list
  }

  /// Starts listing `folders` (in this order) while there is room.
  func prefetch(_ folders: [String]) {
    for folder in folders where tasks[folder] == nil && tasks.count < capacity {
      start(folder)
    }
  }

  /// The listing of `folder`, from the prefetch or fetched now.
  func take(_ folder: String) async throws -> [TreeNode] {
    if tasks[folder] == nil { start(folder) }
    let task = tasks[folder]!
    defer { tasks[folder] = nil }
    return try await task.value
  }

  /// Stops every listing in flight.
  func cancelAll() {
    for task in tasks.values { task.cancel() }
    tasks = [:]
  }

  private func start(_ folder: String) {
    let list = self.list
    tasks[folder] = Task {
      let listing = try await list(folder)
      self.prefetch(listing.filter { $0.type != .leaf }.map(\.path))
      return listing
    }
  }
}

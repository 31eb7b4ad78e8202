// CellarCore: the last restore stage: learn each restored node's new Uuid, check the upload
// (UploadCheck), and write its user metadata back in batches (docs/architecture.md, "Restore data path";
// docs/cells-protocol.md, "User metadata" and "Uploads and indexing").
import CellsKit

/// Finishes restored nodes in batches: one bulk stat for their Uuids (waiting while the server
/// still shows `Etag: "temporary"`), a size and `x-cells-hash` check of every uploaded file, and
/// one `PUT /a/user-meta/update` for the batch's metadata.
///
/// A batch the server refuses is retried node by node, so one bad node does not cost the
/// others their metadata. A full batch is finished in the background while the next one fills
/// (one at a time, so at most two batches are held). Used by one task at a time.
final class MetadataApplier {
  private let client: CellsClient
  private let tracker: ProgressTracker
  private let writable: Set<String>
  private let batchSize: Int
  private let patience: [Duration]
  private var batch: [RestoredNode] = []
  private var running: Task<Void, any Error>?

  /// An applier writing the namespaces in `writable` (`bookmark` is always writable).
  init(
    client: CellsClient, tracker: ProgressTracker, writable: Set<String>, batchSize: Int = 100,
    patience: [Duration] = [0.2, 0.5, 1, 1, 2, 2, 3, 3, 3, 3].map { .seconds($0) }
  ) {
    self.client = client
    self.tracker = tracker
    self.writable = writable.union(["bookmark"])
    self.batchSize = batchSize
    self.patience = patience
  }

  /// Queues `node`; a full batch starts being finished once the batch before it is done.
  func add(_ node: RestoredNode) async throws {
    guard node.needsFinishing, !CellsPath(node.target).parent.isRoot else { return }
    batch.append(node)
    guard batch.count >= batchSize else { return }
    try await settle()
    let nodes = batch
    batch = []
    let finisher = Finisher(client: client, tracker: tracker, writable: writable, patience: patience)
    running = Task { try await finisher.finish(nodes) }
  }

  /// Finishes what is queued, and waits for the batch in the background.
  func flush() async throws {
    try await settle()
    let nodes = batch
    batch = []
    try await Finisher(client: client, tracker: tracker, writable: writable, patience: patience).finish(nodes)
  }

  /// Waits for the batch being finished in the background; cancelling the wait cancels it.
  private func settle() async throws {
    guard let task = running else { return }
    running = nil
    try await withTaskCancellationHandler {
      try await task.value
    } onCancel: {
      task.cancel()
    }
  }
}

/// One batch's stats, checks and metadata writes, away from the applier's queue.
private struct Finisher: Sendable {
  let client: CellsClient
  let tracker: ProgressTracker
  let writable: Set<String>
  let patience: [Duration]

  func finish(_ nodes: [RestoredNode]) async throws {
    guard !nodes.isEmpty else { return }
    let found: [[UInt8]: TreeNode]
    do {
      found = try await stat(nodes.map(\.target))
    } catch let error as CellsAPIError where ExitStatus(error: error) != .denied {
      for node in nodes { tracker.fail(node.target, "cannot check it after upload: \(error)") }
      return
    }
    var metas: [(node: RestoredNode, values: [UserMeta])] = []
    for node in nodes {
      guard var server = found[Array(node.target.utf8)] else {
        tracker.fail(node.target, "not found on the server after restore")
        continue
      }
      if server.isTemporary {
        tracker.fail(node.target, "still being indexed by the server; its metadata was not restored")
        continue
      }
      var verdict = UploadCheck.verdict(of: node, on: server)
      if case .differs(let problem) = verdict {
        // Asked once more before it is called a failure: an answer can be damaged on its way too.
        let again = try? await client.stat(node.target)
        guard let again, case let second = UploadCheck.verdict(of: node, on: again), !second.isDifference else {
          tracker.fail(node.target, problem)
          continue
        }
        (server, verdict) = (again, second)
      }
      if verdict == .noServerHash {
        tracker.report(.warning(path: node.target, message: "the server gave no x-cells-hash to check"))
      }
      let missing = node.metas.filter { !writable.contains($0.namespace) }.map(\.namespace)
      if !missing.isEmpty {
        tracker.fail(
          node.target,
          "metadata not restored: namespace \(missing.joined(separator: ", ")) does not exist on this server "
            + "(an admin's restore creates it)")
      }
      let values = node.metas.filter { writable.contains($0.namespace) }.map {
        UserMeta(nodeUuid: server.uuid, namespace: $0.namespace, jsonValue: $0.jsonValue)
      }
      if !values.isEmpty { metas.append((node, values)) }
    }
    try await write(metas)
  }

  /// The nodes at `paths`, asked again while some are missing or still temporary.
  private func stat(_ paths: [String]) async throws -> [[UInt8]: TreeNode] {
    var found: [[UInt8]: TreeNode] = [:]
    var pending = paths
    for wait in [Duration.zero] + patience {
      if wait > .zero { try await Task.sleep(for: wait) }
      for node in try await client.stat(paths: pending) { found[Array(node.path.utf8)] = node }
      pending = pending.filter { found[Array($0.utf8)].map(\.isTemporary) ?? true }
      if pending.isEmpty { break }
    }
    return found
  }

  private func write(_ metas: [(node: RestoredNode, values: [UserMeta])]) async throws {
    guard !metas.isEmpty else { return }
    do {
      try await client.updateUserMeta(metas.flatMap(\.values), batchSize: 500)
      return
    } catch let error as CellsAPIError where metas.count > 1 && Self.isPerNode(error) {
      // One node spoilt the batch: find which, node by node.
    }
    for (node, values) in metas {
      do {
        try await client.updateUserMeta(values)
      } catch let error as CellsAPIError where Self.isPerNode(error) {
        tracker.fail(node.target, "metadata not restored: \(error)")
      }
    }
  }

  private static func isPerNode(_ error: CellsAPIError) -> Bool {
    switch error {
    case .forbidden, .notFound, .server: true
    default: false
    }
  }
}

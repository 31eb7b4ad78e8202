// CellarCore: restore's last stage for each node: count it, report it, and hand it to the
// MetadataApplier (docs/architecture.md, "Restore stages").

/// Counts, reports and finishes each node a pass restored, skipped or (in a dry run) planned.
///
/// Used by one task at a time.
final class RestoreFinisher {
  let tracker: ProgressTracker
  let applier: MetadataApplier
  let dryRun: Bool

  init(tracker: ProgressTracker, applier: MetadataApplier, dryRun: Bool) {
    self.tracker = tracker
    self.applier = applier
    self.dryRun = dryRun
  }

  /// A file that went up (or failed to).
  func uploaded(_ outcome: UploadQueue.Outcome) async throws {
    if let error = outcome.error {
      tracker.fail(outcome.node.target, error)
      return
    }
    let size = outcome.node.uploaded?.size ?? 0
    tracker.update {
      $0.files += 1
      $0.bytes += size
    }
    report(outcome.node, size: size, action: outcome.action)
    try await applier.add(outcome.node)
  }

  /// A folder of a batch, created or refused.
  func created(_ result: FolderBatches.Result) async throws {
    if let failure = result.failure {
      tracker.fail(result.node.target, failure)
      return
    }
    tracker.update { $0.folders += 1 }
    report(result.node, action: .created)
    try await applier.add(result.node)
  }

  /// A node already on the server (a folder to merge into, an identical file): counted,
  /// reported, and its metadata applied.
  func kept(_ node: RestoredNode, size: Int64?, action: NodeAction) async throws {
    tracker.update {
      if node.isFolder { $0.folders += 1 } else { $0.skipped += 1 }
    }
    report(node, size: size, action: action)
    if !dryRun { try await applier.add(node) }
  }

  /// Tells the reporters about `node`; in a dry run with the metadata it would get.
  func report(_ node: RestoredNode, size: Int64? = nil, action: NodeAction) {
    tracker.report(
      .node(
        NodeEvent(
          path: node.target, kind: NodeKind(isFolder: node.isFolder), size: size, action: action,
          metadata: dryRun ? node.metas.map(\.namespace) : [])))
  }
}

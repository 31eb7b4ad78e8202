// CellarCore: one pass of a restore over the archive: read each member, plan it, and hand it to
// the folder or upload stage (docs/architecture.md, "Restore stages").
import ArchiveKit
import CellsKit
import Foundation

/// Walks the archive once, in order, and restores (or, in a dry run, plans) every member.
///
/// The pass reads the members (`ArchiveCursor`), looks each up in the manifest (`ManifestIndex`),
/// maps it to its target (`TargetMapper`), decides what to do there (`RestorePlanner`), and hands
/// it to a stage: folders to `FolderBatches`, files to `UploadQueue`, and what is done to
/// `RestoreFinisher`. Both stages run their requests as tasks of one group, which the pass
/// drains (`collect`); memory is bounded by the stages' budgets and by the reader's batch. Used
/// by one task.
final class RestorePass {
  /// Members read ahead at once, and the bytes of their small files at most (about).
  static let readAheadMembers = 64
  static let readAheadBytes = 1 << 20

  /// What a task of the pass's group finished.
  enum Finished: Sendable {
    case file(UploadQueue.Outcome)
    /// A batch of folders, each with why it could not be created (nil: created).
    case folders([FolderBatches.Result])
  }

  private let setup: RestoreSetup
  private let tracker: ProgressTracker
  private let dryRun: Bool
  private let cursor: ArchiveCursor
  private let manifest: ManifestIndex?
  private let planner: RestorePlanner
  private let applier: MetadataApplier
  private let folders: FolderBatches
  private let uploads: UploadQueue
  private let finisher: RestoreFinisher
  /// The `--only` patterns that kept a node (restored or not).
  private(set) var matchedPatterns: Set<Int> = []

  init(setup: RestoreSetup, tracker: ProgressTracker, dryRun: Bool) {
    self.setup = setup
    self.tracker = tracker
    self.dryRun = dryRun
    cursor = ArchiveCursor(path: setup.archivePath, plan: setup.seekPlan)
    // With --only, the nodes left out are dropped as the index reads past them.
    var keep: (@Sendable (ManifestNode) -> Bool)?
    if !setup.options.only.isEmpty {
      let mapper = setup.mapper
      keep = { @Sendable node in !mapper.excludes(node.path) }
    }
    manifest = setup.manifest.map { ManifestIndex(source: $0, part: setup.part, keep: keep) }
    planner = RestorePlanner(
      tree: TargetTree(client: setup.connection.rest), policy: setup.options.onConflict)
    applier = MetadataApplier(
      client: setup.connection.rest, tracker: tracker, writable: setup.writableNamespaces)
    folders = FolderBatches(client: setup.connection.rest)
    uploads = UploadQueue(s3: setup.connection.s3, jobs: setup.options.jobs)
    finisher = RestoreFinisher(tracker: tracker, applier: applier, dryRun: dryRun)
  }

  /// Restores every member, then the manifest's folders that had none.
  func run() async throws {
    try await withThrowingTaskGroup(of: Finished.self) { group in
      do {
        while case let batch = try await cursor.nextBatch(
          upTo: Self.readAheadMembers, bodyLimit: UploadQueue.singlePutLimit, byteBudget: Self.readAheadBytes),
          !batch.isEmpty
        {
          let members = batch.filter { !ArchiveScan.isCellarMember($0.member.path) }
          let nodes = try await manifest?.nodes(for: members.map(\.member.path)) ?? members.map { _ in nil }
          for (item, node) in zip(members, nodes) {
            try Task.checkCancellation()
            // An earlier archive of a chain: only the files the last state still takes from it.
            if case .stored = setup.part, node == nil { continue }
            let member = item.member
            try await restore(
              node?.path ?? member.path, isFolder: member.isDirectory, size: member.size, node: node,
              body: item.body, group: &group)
          }
        }
      } catch let error as ArchiveError {
        throw RestoreError.refusedArchive(archive: setup.options.archive, reason: error.description)
      }
      while let node = try await manifest?.nextUnclaimed() {
        try await restore(node.path, isFolder: node.isFolder, size: nil, node: node, missing: true, group: &group)
      }
      try await flushFolders(&group)
      while uploads.inFlight > 0 { try await collect(&group) }
    }
    try await applier.flush()
  }

  // MARK: - One node

  private func restore(
    _ path: String, isFolder: Bool, size: Int64?, node: ManifestNode?, missing: Bool = false,
    body: ArchiveCursor.Prefetched.Body? = nil, group: inout ThrowingTaskGroup<Finished, any Error>
  ) async throws {
    let target: String
    switch setup.mapper.target(for: path) {
    case .excluded: return
    case .unmapped(let why):
      tracker.fail(path, why)
      return
    case .path(let mapped): target = mapped
    }
    if matchedPatterns.count < setup.options.only.count {
      matchedPatterns.formUnion(setup.mapper.onlyPatterns(keeping: path))
    }
    guard !target.isEmpty else { return }
    if missing, !isFolder {
      tracker.fail(target, "listed in the manifest but missing from the archive")
      return
    }
    if node?.isDamaged == true {
      tracker.fail(
        target, "recorded as damaged when it was backed up (its bytes failed the server's checks); not restored")
      return
    }
    let metas = setup.options.restoresMetadata ? node?.restorableMeta ?? [] : []
    let step = try await planner.step(
      for: target, isFolder: isFolder, size: size ?? node?.size, contentHash: node?.restoredContentHash)
    let restored = RestoredNode(
      target: target, isFolder: isFolder, expectedContentHash: node?.restoredContentHash,
      expectedSHA256: node?.sha256, metas: metas)
    switch step {
    case .createFolder(let folder):
      var created = restored
      created.target = folder
      if dryRun {
        tracker.update { $0.folders += 1 }
        finisher.report(created, action: folder == target ? .create : .rename)
      } else if folders.add(created) {
        try await sendFolders(&group)
      }
    case .mergeFolder:
      try await finisher.kept(restored, size: nil, action: .exists)
    case .skip(_, let identical):
      guard identical else {
        // Not a clean skip: the server keeps content the archive does not have, and a script
        // must hear of it (exit 3), each node named; a dry run's plan shows it too.
        if dryRun {
          var kept = restored
          kept.metas = []  // the server's file is kept as it is, its metadata too
          finisher.report(kept, size: size, action: .differs)
        }
        tracker.fail(
          target, "differs from the archive; the server's content is kept (--on-conflict overwrite replaces it)")
        return
      }
      // An identical file is most likely this restore's own, from an interrupted run.
      try await finisher.kept(restored, size: size, action: .unchanged)
    case .drop(let dropped, let reason, let isError):
      if isError {
        tracker.fail(dropped, reason)
      } else {
        tracker.update { $0.skipped += 1 }
        tracker.report(.warning(path: dropped, message: "not restored: \(reason)"))
      }
    case .upload(let file, let replacing):
      var upload = restored
      upload.target = file
      let action: NodeAction = file != target ? .rename : replacing ? .overwrite : .upload
      if dryRun {
        tracker.update {
          $0.files += 1
          $0.bytes += size ?? 0
        }
        finisher.report(upload, size: size, action: action)
      } else {
        try await send(
          upload, size: size, contentType: node?.mime, action: action.done, body: body, group: &group)
      }
    }
  }

  // MARK: - Files

  private func send(
    _ node: RestoredNode, size: Int64?, contentType: String?, action: NodeAction, body: ArchiveCursor.Prefetched.Body?,
    group: inout ThrowingTaskGroup<Finished, any Error>
  ) async throws {
    guard let size else {
      tracker.fail(node.target, "the archive does not give this file's size; open the zip by path")
      return
    }
    guard size <= UploadQueue.singlePutLimit else {
      // The parts are read from the archive as they go: everything before must be done with it.
      try await flushFolders(&group)
      if let outcome = try await uploads.sendLarge(
        node, size: size, contentType: contentType, action: action, cursor: cursor, tracker: tracker)
      {
        try await finisher.uploaded(outcome)
      }
      return
    }
    let (bytes, digests) = if let body { body } else { try await cursor.readWhole(size: Int(size)) }
    if let digests, let damage = UploadQueue.damage(of: node, digests) {
      tracker.fail(node.target, damage)
      return
    }
    var node = node
    node.uploaded = digests
    let upload = UploadQueue.Upload(node: node, bytes: bytes, contentType: contentType, action: action)
    try await collectFolders(&group)
    guard folders.holdsBack(upload.node.target) else {
      try await launch(upload, group: &group)
      return
    }
    if uploads.hold(upload) {
      try await flushFolders(&group)
    } else if !folders.isCreating {
      try await sendFolders(&group)
    }
  }

  private func launch(_ upload: UploadQueue.Upload, group: inout ThrowingTaskGroup<Finished, any Error>) async throws {
    while uploads.isFull(for: upload) { try await collect(&group) }
    uploads.start(upload, in: &group)
  }

  /// Takes one finished task of the group to its stage and to the finisher.
  private func collect(_ group: inout ThrowingTaskGroup<Finished, any Error>) async throws {
    switch try await group.next() {
    case nil: return
    case .file(let outcome):
      uploads.ended(outcome)
      try await finisher.uploaded(outcome)
    case .folders(let results):
      folders.finished(results)
      for result in results { try await finisher.created(result) }
    }
  }

  // MARK: - Folders

  /// Sends the pending folders as one batch, once the batch before it is done.
  private func sendFolders(_ group: inout ThrowingTaskGroup<Finished, any Error>) async throws {
    while folders.isCreating { try await collect(&group) }
    try await releaseWaiting(&group)
    folders.start(in: &group)
  }

  /// Collects a folder batch that has ended, and starts the uploads it held back.
  private func collectFolders(_ group: inout ThrowingTaskGroup<Finished, any Error>) async throws {
    guard folders.takeEnded() else { return }
    while folders.isCreating { try await collect(&group) }
    try await releaseWaiting(&group)
    if uploads.hasWaiting { try await sendFolders(&group) }
  }

  /// Creates every pending folder, then starts the uploads that waited for them.
  private func flushFolders(_ group: inout ThrowingTaskGroup<Finished, any Error>) async throws {
    try await sendFolders(&group)
    while folders.isCreating { try await collect(&group) }
    try await releaseWaiting(&group)
  }

  /// Starts the waiting uploads whose folders now exist.
  private func releaseWaiting(_ group: inout ThrowingTaskGroup<Finished, any Error>) async throws {
    guard uploads.hasWaiting else { return }
    for upload in uploads.released(holdsBack: folders.holdsBack) { try await launch(upload, group: &group) }
  }
}

extension ManifestNode {
  /// The `mime` the server recorded, decoded from its JSON text, for the upload's `Content-Type`.
  var mime: String? {
    guard let text = metaStore["mime"],
      let value = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) as? String,
      !value.isEmpty
    else { return nil }
    return value
  }
}

// CellarCore: one pass of a restore over the archive: plan each member, create folders in
// batches, upload files (small ones in parallel, large ones multipart), then finish them.
import ArchiveKit
import CellsKit
import Foundation
import S3Kit
import Synchronization

/// Walks the archive once, in order, and restores (or, in a dry run, plans) every member.
///
/// Memory is bounded: small files wait in memory (`memoryBudget` for all of them, queued and
/// in flight), a large file goes up as multipart parts of 10 MiB read as they are sent. Folders
/// are created in batches of up to 100, one batch at a time beside the uploads: a file waits
/// only while a folder above it is not yet created. Used by one task.
final class RestorePass {
  /// Files up to this size are sent in one PUT; larger ones in multipart parts.
  static let singlePutLimit = 8 << 20
  /// Bytes of small files held at once, queued and in flight.
  static let memoryBudget = 24 << 20
  /// Folders created per request.
  static let folderBatch = 100
  /// Members read ahead at once, and the bytes of their small files at most (about).
  static let readAheadMembers = 64
  static let readAheadBytes = 1 << 20
  /// Files waiting for their folders, at most (empty files weigh nothing in the budget).
  static let waitingLimit = 4096

  private struct Upload: Sendable {
    var node: RestoredNode
    var bytes: [UInt8]
    var contentType: String?
    var action: NodeAction
  }

  private struct Outcome: Sendable {
    var node: RestoredNode
    var bytes: Int
    var action: NodeAction
    var error: String?
  }

  /// What a child task of the pass finished.
  private enum Finished: Sendable {
    case file(Outcome)
    /// A batch of folders, each with why it could not be created (nil: created).
    case folders([(node: RestoredNode, failure: String?)])
  }

  /// Set by a folder batch's task when it ends, so the pass collects it without waiting.
  private final class Signal: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    func take() -> Bool {
      value.withLock { state in
        let was = state
        state = false
        return was
      }
    }
  }

  private let setup: RestoreSetup
  private let tracker: ProgressTracker
  private let dryRun: Bool
  private let cursor: ArchiveCursor
  private let manifest: ManifestIndex?
  private let planner: RestorePlanner
  private let applier: MetadataApplier
  private var pendingFolders: [RestoredNode] = []
  /// Targets (bytes) of the folders pending or being created.
  private var unfinishedFolders: Set<[UInt8]> = []
  private var creatingFolders = false
  private let foldersDone = Signal()
  private var waiting: [Upload] = []
  private var waitingBytes = 0
  private var inFlight = 0
  private var inFlightBytes = 0
  /// The `--only` patterns that kept a node (restored or not).
  private(set) var matchedPatterns: Set<Int> = []

  init(setup: RestoreSetup, tracker: ProgressTracker, dryRun: Bool) {
    self.setup = setup
    self.tracker = tracker
    self.dryRun = dryRun
    cursor = ArchiveCursor(path: setup.options.archive)
    manifest = setup.manifest.map { ManifestIndex(source: $0, part: setup.part) }
    planner = RestorePlanner(
      tree: TargetTree(client: setup.connection.rest), policy: setup.options.onConflict)
    applier = MetadataApplier(
      client: setup.connection.rest, tracker: tracker, writable: setup.writableNamespaces)
  }

  /// Restores every member, then the manifest's folders that had none.
  func run() async throws {
    try await withThrowingTaskGroup(of: Finished.self) { group in
      do {
        while case let batch = try await cursor.nextBatch(
          upTo: Self.readAheadMembers, bodyLimit: Self.singlePutLimit, byteBudget: Self.readAheadBytes),
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
      while inFlight > 0 { try await collect(&group) }
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
      expectedSHA256: node?.sha256,
      metas: metas)
    switch step {
    case .createFolder(let folder):
      var created = restored
      created.target = folder
      if dryRun {
        tracker.update { $0.folders += 1 }
        report(created, action: folder == target ? .create : .rename)
      } else {
        pendingFolders.append(created)
        unfinishedFolders.insert(Array(folder.utf8))
        if pendingFolders.count >= Self.folderBatch { try await sendFolders(&group) }
      }
    case .mergeFolder:
      tracker.update { $0.folders += 1 }
      report(restored, action: .exists)
      if !dryRun { try await applier.add(restored) }
    case .skip(_, let identical):
      guard identical else {
        // Not a clean skip: the server keeps content the archive does not have, and a script
        // must hear of it (exit 3), each node named; a dry run's plan shows it too.
        if dryRun {
          var kept = restored
          kept.metas = []  // the server's file is kept as it is, its metadata too
          report(kept, size: size, action: .differs)
        }
        tracker.fail(
          target, "differs from the archive; the server's content is kept (--on-conflict overwrite replaces it)")
        return
      }
      tracker.update { $0.skipped += 1 }
      report(restored, size: size, action: .unchanged)
      // An identical file is most likely this restore's own, from an interrupted run.
      if !dryRun { try await applier.add(restored) }
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
        report(upload, size: size, action: action)
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
    if size <= Self.singlePutLimit {
      let (bytes, digests) = if let body { body } else { try await cursor.readWhole(size: Int(size)) }
      if let digests, let damage = Self.damage(of: node, digests) {
        tracker.fail(node.target, damage)
        return
      }
      var node = node
      node.uploaded = digests
      let upload = Upload(node: node, bytes: bytes, contentType: contentType, action: action)
      try await collectFolders(&group)
      guard waitsForFolder(upload.node.target) else {
        try await launch(upload, group: &group)
        return
      }
      waiting.append(upload)
      waitingBytes += bytes.count
      if waitingBytes + inFlightBytes >= Self.memoryBudget || waiting.count >= Self.waitingLimit {
        try await flushFolders(&group)
      } else if !creatingFolders {
        try await sendFolders(&group)
      }
      return
    }
    try await flushFolders(&group)
    let partSize = MultipartUpload.partSize(for: size, preferred: MultipartUpload.partSizeUnit)
    let cursor = self.cursor
    var node = node
    do {
      try await MultipartUpload(client: setup.connection.s3, concurrency: min(max(setup.options.jobs, 1), 3))
        .upload(node.target, size: size, partSize: partSize, contentType: contentType) {
          try await cursor.read(upTo: partSize)
        } beforeCompleting: {
          // Every part is up but the object is not assembled yet: damaged bytes never become it.
          guard let digests = try await cursor.digests() else { return }
          if let damage = Self.damage(of: node, digests) { throw RestoreError.damagedMember(reason: damage) }
          node.uploaded = digests
        }
      try await finish(Outcome(node: node, bytes: 0, action: action))
    } catch let error as ArchiveError {
      throw error
    } catch RestoreError.damagedMember(let damage) {
      tracker.fail(node.target, damage)
    } catch let error where !(error is CancellationError) && !Task.isCancelled {
      try await finish(Outcome(node: node, bytes: 0, action: action, error: "\(error)"))
    }
  }

  /// Why the bytes read for `node` must not be uploaded, or nil.
  ///
  /// They must not when they are not those the manifest recorded. libarchive does not check a gzip trailer's CRC, so these checksums are
  /// what stands between a flipped bit in the archive and the server.
  private static func damage(of node: RestoredNode, _ digests: ArchiveCursor.Digests) -> String? {
    guard let expected = node.expectedSHA256, expected != digests.sha256 else { return nil }
    return "damaged in the archive: its bytes' SHA-256 is \(digests.sha256), the manifest recorded \(expected); "
      + "not uploaded"
  }

  private func launch(_ upload: Upload, group: inout ThrowingTaskGroup<Finished, any Error>) async throws {
    while inFlight >= max(setup.options.jobs, 1)
      || (inFlight > 0 && inFlightBytes + upload.bytes.count > Self.memoryBudget)
    {
      try await collect(&group)
    }
    inFlight += 1
    inFlightBytes += upload.bytes.count
    let s3 = setup.connection.s3
    group.addTask {
      let outcome = Outcome(node: upload.node, bytes: upload.bytes.count, action: upload.action)
      do {
        try await s3.put(upload.node.target, contentType: upload.contentType) { .bytes(upload.bytes) }
        return .file(outcome)
      } catch let error where !(error is CancellationError) && !Task.isCancelled {
        var failed = outcome
        failed.error = "\(error)"
        return .file(failed)
      }
    }
  }

  private func collect(_ group: inout ThrowingTaskGroup<Finished, any Error>) async throws {
    switch try await group.next() {
    case nil: return
    case .file(let outcome):
      inFlight -= 1
      inFlightBytes -= outcome.bytes
      try await finish(outcome)
    case .folders(let results):
      creatingFolders = false
      _ = foldersDone.take()
      for (folder, failure) in results {
        unfinishedFolders.remove(Array(folder.target.utf8))
        if let failure {
          tracker.fail(folder.target, failure)
        } else {
          try await created(folder)
        }
      }
    }
  }

  private func finish(_ outcome: Outcome) async throws {
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

  // MARK: - Folders

  /// Whether a folder above `target` is still to be created by this pass.
  private func waitsForFolder(_ target: String) -> Bool {
    guard !unfinishedFolders.isEmpty else { return false }
    var bytes = Array(target.utf8)
    while let slash = bytes.lastIndex(of: UInt8(ascii: "/")) {
      bytes.removeSubrange(slash...)
      if unfinishedFolders.contains(bytes) { return true }
    }
    return false
  }

  /// Sends the pending folders as one batch, once the batch before it is done.
  private func sendFolders(_ group: inout ThrowingTaskGroup<Finished, any Error>) async throws {
    while creatingFolders { try await collect(&group) }
    try await releaseWaiting(&group)
    guard !pendingFolders.isEmpty else { return }
    let folders = pendingFolders
    pendingFolders = []
    creatingFolders = true
    let client = setup.connection.rest
    let done = foldersDone
    group.addTask {
      let results: [(node: RestoredNode, failure: String?)]
      do {
        results = try await RestorePass.create(folders, client: client)
      } catch {
        done.set()
        throw error
      }
      done.set()
      return .folders(results)
    }
  }

  /// Collects a folder batch that has ended, and starts the uploads it held back.
  private func collectFolders(_ group: inout ThrowingTaskGroup<Finished, any Error>) async throws {
    guard foldersDone.take() else { return }
    while creatingFolders { try await collect(&group) }
    try await releaseWaiting(&group)
    if !waiting.isEmpty { try await sendFolders(&group) }
  }

  /// Creates every pending folder, then starts the uploads that waited for them.
  private func flushFolders(_ group: inout ThrowingTaskGroup<Finished, any Error>) async throws {
    try await sendFolders(&group)
    while creatingFolders { try await collect(&group) }
    try await releaseWaiting(&group)
  }

  /// Starts the waiting uploads whose folders now exist.
  private func releaseWaiting(_ group: inout ThrowingTaskGroup<Finished, any Error>) async throws {
    guard !waiting.isEmpty else { return }
    let uploads = waiting
    waiting = []
    waitingBytes = 0
    for upload in uploads {
      if waitsForFolder(upload.node.target) {
        waiting.append(upload)
        waitingBytes += upload.bytes.count
      } else {
        try await launch(upload, group: &group)
      }
    }
  }

  /// Creates `folders` in one request per batch.
  ///
  /// When a batch is refused, the folders are created one by one to learn which spoilt it.
  /// Gives each folder's failure, nil when it was created.
  private static func create(
    _ folders: [RestoredNode], client: CellsClient
  ) async throws -> [(node: RestoredNode, failure: String?)] {
    do {
      try await client.createFolders(folders.map(\.target), batchSize: folderBatch)
      return folders.map { ($0, nil) }
    } catch let error as CellsAPIError where ExitStatus(error: error) != .denied || isForbidden(error) {
      var results: [(node: RestoredNode, failure: String?)] = []
      for folder in folders {
        do {
          try await client.createFolders([folder.target])
          results.append((folder, nil))
        } catch let error as CellsAPIError where ExitStatus(error: error) != .denied || isForbidden(error) {
          results.append((folder, "cannot create the folder: \(error)"))
        }
      }
      return results
    }
  }

  private func created(_ folder: RestoredNode) async throws {
    tracker.update { $0.folders += 1 }
    report(folder, action: .created)
    try await applier.add(folder)
  }

  private static func isForbidden(_ error: CellsAPIError) -> Bool {
    if case .forbidden = error { return true }
    return false
  }

  // MARK: - Reporting

  private func report(_ node: RestoredNode, size: Int64? = nil, action: NodeAction) {
    tracker.report(
      .node(
        NodeEvent(
          path: node.target, kind: NodeKind(isFolder: node.isFolder), size: size, action: action,
          metadata: dryRun ? node.metas.map(\.namespace) : [])))
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

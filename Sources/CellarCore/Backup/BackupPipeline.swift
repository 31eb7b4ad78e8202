// CellarCore: the stages of a backup joined by a bounded queue: the walk schedules downloads as
// it goes (small files read ahead within a byte budget, `jobs` at a time), the archive stage
// takes nodes strictly in walk order and streams large files itself when their turn comes.
import CellsKit
import S3Kit

/// Runs the walk and fetch stages against the archive stage of one backup.
struct BackupPipeline: Sendable {
  let options: BackupOptions
  let connection: CellsConnection
  let tracker: ProgressTracker
  let failures: FailureLog
  let output: ArchiveOutput
  /// The base of an incremental backup.
  var base: BackupBase? = nil

  static let unmappedMessage = "no readable workspace exposes this path, so its bytes cannot be downloaded"

  /// Archives everything `sources` yields; returns the definitions of the namespaces used.
  func run(_ sources: BackupSources) async throws -> [UserMetaNamespace] {
    let queue = BoundedQueue<BackupEntry>(capacity: 1024)
    let budget = ByteBudget(limit: options.readAheadBytes)
    let downloads = AsyncSemaphore(count: options.jobs)
    let fetcher = FileFetcher(s3: connection.s3, tracker: tracker, readAheadLimit: options.readAheadFileLimit)
    return try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask {
        do {
          try await sources.walk { item in
            try await queue.send(try await schedule(item, budget: budget, downloads: downloads, fetcher: fetcher))
          }
          tracker.update { $0.listingDone = true }
          await queue.finish()
        } catch {
          await queue.finish(throwing: error)
          throw error
        }
      }
      let archiver = Archiver(
        options: options, connection: connection, tracker: tracker, failures: failures, output: output,
        fetcher: fetcher)
      do {
        while let entry = try await queue.next() {
          try Task.checkCancellation()
          try await archiver.archive(entry, budget: budget)
        }
        try await group.waitForAll()
      } catch {
        var pending: [Task<FetchedBody, any Error>] = []
        for entry in await queue.close() {
          if case .readAhead(let task, _) = entry.content {
            task.cancel()
            pending.append(task)
          }
        }
        await budget.close()
        group.cancelAll()
        // Downloads still hashing must end before the process may exit (libcrypto's exit
        // handlers free what a running hash uses).
        for task in pending { _ = try? await task.value }
        throw error
      }
      return try await archiver.namespacesInUse()
    }
  }

  /// Decides how the item's bytes will reach the archive, starting its download if it is small.
  private func schedule(
    _ item: BackupSources.Item, budget: ByteBudget, downloads: AsyncSemaphore, fetcher: FileFetcher
  ) async throws -> BackupEntry {
    let node = item.node
    var entry = BackupEntry(node: node, key: item.key, userMeta: item.userMeta, content: .folder)
    switch try base?.compare(node) {
    case .changed(let movedFrom): entry.movedFrom = movedFrom
    case .unchanged(var old, let movedFrom):
      old.stored = base?.stored(old)
      entry.movedFrom = movedFrom
      entry.content = .unchanged(old)
      return entry
    case .new, nil: break
    }
    guard !node.isFolder else { return entry }
    tracker.update {
      $0.filesSeen += 1
      $0.bytesSeen += node.size
    }
    guard let key = item.key else {
      entry.content = .stream  // the archive stage reports it, in order
      return entry
    }
    if node.size == 0 {
      entry.content = .empty
    } else if node.size <= options.readAheadFileLimit {
      await budget.reserve(node.size)
      try Task.checkCancellation()
      let task = Task { try await downloads.withPermit { try await fetcher.fetchWhole(key, expected: node) } }
      entry.content = .readAhead(task, reserved: node.size)
    } else {
      entry.content = .stream
    }
    return entry
  }
}

// CellarCore: restore's folder stage: the folders a pass creates, gathered into batches of up to
// 100 and created one batch at a time beside the uploads (docs/architecture.md, "Restore stages").
import CellsKit
import Synchronization

/// Folders waiting to be created, the batch being created, and which targets must wait for them.
///
/// A batch is created by one task of the pass's group (`start(in:)`); the pass hands its result
/// back with `finished(_:)`. A file waits only while a folder above it is pending or being
/// created. Used by one task at a time.
final class FolderBatches {
  /// Folders created per request.
  static let batchSize = 100

  /// A folder of a batch, with why it could not be created (nil: created).
  typealias Result = (node: RestoredNode, failure: String?)

  private let client: CellsClient
  private var pending: [RestoredNode] = []
  /// The folders pending or being created.
  private var unfinished: Set<CellsPath> = []
  /// Set by a batch's task when it ends, so that the pass collects it without waiting.
  private let ended = Flag()
  /// Whether a batch is being created now.
  private(set) var isCreating = false

  init(client: CellsClient) {
    self.client = client
  }

  /// Queues `folder`; true when a batch is full and should be sent.
  func add(_ folder: RestoredNode) -> Bool {
    pending.append(folder)
    unfinished.insert(CellsPath(folder.target))
    return pending.count >= Self.batchSize
  }

  /// Whether a folder above `target` is still to be created.
  func holdsBack(_ target: String) -> Bool {
    !unfinished.isEmpty && CellsPath(target).ancestors.contains { unfinished.contains($0) }
  }

  /// Whether a batch has ended since the last call (its result waits in the group).
  func takeEnded() -> Bool {
    ended.value.withLock { state in
      defer { state = false }
      return state
    }
  }

  /// Starts creating the pending folders as one batch, as a task of `group`; the caller waits
  /// for the batch before (`isCreating` false).
  func start(in group: inout ThrowingTaskGroup<RestorePass.Finished, any Error>) {
    precondition(!isCreating, "one folder batch at a time")
    guard !pending.isEmpty else { return }
    let folders = pending
    pending = []
    isCreating = true
    let client = client
    let ended = ended
    group.addTask {
      defer { ended.value.withLock { $0 = true } }
      return .folders(try await FolderBatches.create(folders, client: client))
    }
  }

  /// Records the end of the batch being created.
  func finished(_ results: [Result]) {
    isCreating = false
    _ = takeEnded()
    for (folder, _) in results { unfinished.remove(CellsPath(folder.target)) }
  }

  /// Creates `folders` in one request per `batchSize`.
  ///
  /// When a batch is refused, the folders are created one by one to learn which spoilt it.
  /// Gives each folder's failure, nil when it was created; credentials refused are thrown.
  static func create(_ folders: [RestoredNode], client: CellsClient) async throws -> [Result] {
    do {
      try await client.createFolders(folders.map(\.target), batchSize: batchSize)
      return folders.map { ($0, nil) }
    } catch let error as CellsAPIError where isPerFolder(error) {
      var results: [Result] = []
      for folder in folders {
        do {
          try await client.createFolders([folder.target])
          results.append((folder, nil))
        } catch let error as CellsAPIError where isPerFolder(error) {
          results.append((folder, "cannot create the folder: \(error)"))
        }
      }
      return results
    }
  }

  /// Whether `error` concerns the folders asked for, not the credentials.
  private static func isPerFolder(_ error: CellsAPIError) -> Bool {
    if case .forbidden = error { return true }
    return ExitStatus(error: error) != .denied
  }

  /// A flag shared with a batch's task.
  private final class Flag: Sendable {
    let value = Mutex(false)
  }
}

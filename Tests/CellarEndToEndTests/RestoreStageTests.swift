// CellarEndToEndTests: the restore stages one at a time, in process against the sandbox: the
// folder batches, the upload queue, and the finisher with the upload check behind it.
import CellsKit
import CellsSandbox
import Foundation
import HashKit
import Synchronization
import Testing

@testable import CellarCore

@Suite("restore stages, each on its own")
struct RestoreStageTests {
  /// Keeps every event a stage reports.
  private final class Events: ProgressReporter {
    let events = Mutex<[ProgressEvent]>([])
    func report(_ event: ProgressEvent) { events.withLock { $0.append(event) } }
    var errors: [String] {
      events.withLock { $0 }.compactMap {
        if case .error(let path, let message) = $0 { "\(path ?? ""): \(message)" } else { nil }
      }
    }
    var actions: [NodeAction] {
      events.withLock { $0 }.compactMap { if case .node(let node) = $0 { node.action } else { nil } }
    }
  }

  private static func folder(_ target: String) -> RestoredNode {
    RestoredNode(target: target, isFolder: true, metas: [])
  }

  private static func file(_ target: String, _ bytes: [UInt8]) throws -> UploadQueue.Upload {
    let digests = ArchiveCursor.Digests(
      sha256: try SHA256.hash(bytes).hex, cellsHash: try CellsContentHash.hash(bytes).hex, size: Int64(bytes.count))
    let node = RestoredNode(
      target: target, isFolder: false, uploaded: digests, expectedSHA256: digests.sha256, metas: [])
    return UploadQueue.Upload(node: node, bytes: bytes, contentType: nil, action: .uploaded)
  }

  @Test("FolderBatches: a batch the server refuses for one folder creates the others one by one and names that one")
  func folderBatches() async throws {
    try await withSandbox { sandbox in
      let connection = try await sandbox.connection()
      let batches = FolderBatches(client: connection.rest)
      for target in ["common-files/a", "common-files/a/b", "no-such-workspace/x", "common-files/c"] {
        #expect(!batches.add(Self.folder(target)))
      }
      #expect(batches.holdsBack("common-files/a/b/file.txt"))
      #expect(!batches.holdsBack("common-files/file.txt"))
      let results = try await withThrowingTaskGroup(of: RestorePass.Finished.self) { group in
        batches.start(in: &group)
        #expect(batches.isCreating)
        guard case .folders(let results)? = try await group.next() else { return [FolderBatches.Result]() }
        #expect(batches.takeEnded())
        batches.finished(results)
        return results
      }
      #expect(!batches.isCreating && !batches.holdsBack("common-files/a/b/file.txt"))
      #expect(
        results.map(\.node.target) == ["common-files/a", "common-files/a/b", "no-such-workspace/x", "common-files/c"])
      #expect(results.filter { $0.failure != nil }.map(\.node.target) == ["no-such-workspace/x"])
      #expect(results[2].failure?.hasPrefix("cannot create the folder") == true)
      for created in ["common-files/a/b", "common-files/c"] {
        #expect(try await connection.rest.stat(created)?.isFolder == true, "\(created)")
      }
    }
  }

  @Test(
    "UploadQueue: --jobs bound the uploads running, a held file comes out once its folder exists, bytes arrive whole")
  func uploadQueue() async throws {
    try await withSandbox { sandbox in
      let connection = try await sandbox.connection()
      let queue = UploadQueue(s3: connection.s3, jobs: 2)
      let uploads = try (0..<3).map { try Self.file("common-files/q\($0).txt", Array("file \($0)\n".utf8)) }
      #expect(!queue.hold(try Self.file("common-files/new/held.txt", [1, 2, 3])))
      #expect(queue.released { $0.hasPrefix("common-files/new/") }.isEmpty && queue.hasWaiting)
      #expect(queue.released { _ in false }.map(\.node.target) == ["common-files/new/held.txt"])
      #expect(!queue.hasWaiting)
      let outcomes = try await withThrowingTaskGroup(of: RestorePass.Finished.self) { group in
        var outcomes: [UploadQueue.Outcome] = []
        for upload in uploads {
          while queue.isFull(for: upload) {
            #expect(queue.inFlight == 2)
            guard case .file(let outcome)? = try await group.next() else { break }
            queue.ended(outcome)
            outcomes.append(outcome)
          }
          queue.start(upload, in: &group)
        }
        while case .file(let outcome)? = try await group.next() {
          queue.ended(outcome)
          outcomes.append(outcome)
        }
        return outcomes
      }
      #expect(queue.inFlight == 0)
      #expect(outcomes.count == 3 && outcomes.allSatisfy { $0.error == nil })
      for index in 0..<3 {
        var received: [UInt8] = []
        _ = try await connection.s3.get("common-files/q\(index).txt") { received += $0 }
        #expect(received == Array("file \(index)\n".utf8))
      }
    }
  }

  @Test("UploadQueue: the waiting room is full at the memory budget or the file count")
  func waitingRoom() async throws {
    try await withSandbox { sandbox in
      let queue = UploadQueue(s3: try await sandbox.connection().s3, jobs: 4)
      let big = [UInt8](repeating: 7, count: UploadQueue.singlePutLimit)
      #expect(!queue.hold(try Self.file("common-files/n/1", big)))
      #expect(!queue.hold(try Self.file("common-files/n/2", big)))
      #expect(queue.hold(try Self.file("common-files/n/3", big)), "24 MiB held")
      let empty = UploadQueue(s3: try await sandbox.connection().s3, jobs: 4)
      for index in 1..<UploadQueue.waitingLimit { #expect(!empty.hold(try Self.file("common-files/e/\(index)", []))) }
      #expect(empty.hold(try Self.file("common-files/e/last", [])), "4,096 files held")
    }
  }

  @Test("RestoreFinisher: an upload the server holds as sent is counted and reported; one it holds otherwise fails")
  func finisher() async throws {
    try await withSandbox { sandbox in
      let connection = try await sandbox.connection()
      let events = Events()
      let tracker = ProgressTracker(reporter: events)
      let applier = MetadataApplier(client: connection.rest, tracker: tracker, writable: [])
      let finisher = RestoreFinisher(tracker: tracker, applier: applier, dryRun: false)
      let good = try Self.file("common-files/good.txt", Array("as sent\n".utf8))
      try await connection.s3.put(good.node.target) { .bytes(good.bytes) }
      var bad = try Self.file("common-files/bad.txt", Array("what the archive held\n".utf8))
      try await connection.s3.put(bad.node.target) { .bytes(Array("what the server got!!\n".utf8)) }
      bad.node.expectedSHA256 = nil  // only the server's hash can tell
      try await finisher.uploaded(.init(node: good.node, bytes: good.bytes.count, action: .uploaded))
      try await finisher.uploaded(.init(node: bad.node, bytes: bad.bytes.count, action: .uploaded))
      try await finisher.uploaded(
        .init(node: Self.folder("common-files/lost.txt"), bytes: 0, action: .uploaded, error: "the PUT failed"))
      try await finisher.created((Self.folder("common-files/made"), nil))
      try await applier.flush()
      #expect(tracker.snapshot.files == 2 && tracker.snapshot.folders == 1)
      #expect(events.actions == [.uploaded, .uploaded, .created])
      #expect(events.errors.count == 2, "\(events.errors)")
      #expect(events.errors.contains { $0.hasPrefix("common-files/bad.txt: the server's x-cells-hash is") })
      #expect(events.errors.contains("common-files/lost.txt: the PUT failed"))
    }
  }
}

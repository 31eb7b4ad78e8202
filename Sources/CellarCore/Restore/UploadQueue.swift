// CellarCore: restore's upload stage: small files in one PUT each, up to --jobs at once within a
// memory budget, held back while their folder is not created yet; a large file in multipart parts
// read from the archive as they are sent (docs/architecture.md, "Restore stages").
import ArchiveKit
import S3Kit

/// The files of a pass on their way to the S3 gateway, and the memory they hold.
///
/// Small files (up to `singlePutLimit`) are read whole; those waiting for a folder and those in
/// flight hold at most `memoryBudget` bytes together. A large file goes up as 10 MiB parts, at
/// most three in flight. Used by one task at a time; uploads run as tasks of the pass's group.
final class UploadQueue {
  /// Files up to this size are sent in one PUT; larger ones in multipart parts.
  static let singlePutLimit = 8 << 20
  /// Bytes of small files held at once, waiting and in flight.
  static let memoryBudget = 24 << 20
  /// Files waiting for their folders, at most (empty files weigh nothing in the budget).
  static let waitingLimit = 4096

  /// A small file read whole, ready to go up.
  struct Upload: Sendable {
    var node: RestoredNode
    var bytes: [UInt8]
    var contentType: String?
    var action: NodeAction
  }

  /// How an upload ended: `error` says why it failed.
  struct Outcome: Sendable {
    var node: RestoredNode
    var bytes: Int
    var action: NodeAction
    var error: String?
  }

  private let s3: S3Client
  private let jobs: Int
  private var waiting: [Upload] = []
  private var waitingBytes = 0
  /// Uploads running now.
  private(set) var inFlight = 0
  private var inFlightBytes = 0

  init(s3: S3Client, jobs: Int) {
    self.s3 = s3
    self.jobs = max(jobs, 1)
  }

  /// Whether uploads are waiting for their folders.
  var hasWaiting: Bool { !waiting.isEmpty }

  /// Keeps `upload` until its folder exists; true when the waiting room is full, so that the
  /// folders must be created before anything more is read.
  func hold(_ upload: Upload) -> Bool {
    waiting.append(upload)
    waitingBytes += upload.bytes.count
    return waitingBytes + inFlightBytes >= Self.memoryBudget || waiting.count >= Self.waitingLimit
  }

  /// Takes out the waiting uploads that `holdsBack` no longer holds back, in order.
  func released(holdsBack: (String) -> Bool) -> [Upload] {
    let all = waiting
    waiting = []
    waitingBytes = 0
    var free: [Upload] = []
    for upload in all {
      if holdsBack(upload.node.target) {
        waiting.append(upload)
        waitingBytes += upload.bytes.count
      } else {
        free.append(upload)
      }
    }
    return free
  }

  /// Whether `upload` must wait for a running one to end before it starts: `--jobs` are
  /// running, or its bytes would pass the budget (one upload always may run).
  func isFull(for upload: Upload) -> Bool {
    inFlight >= jobs || (inFlight > 0 && inFlightBytes + upload.bytes.count > Self.memoryBudget)
  }

  /// Starts `upload` as a task of `group`; its `Outcome` comes back through the group.
  func start(_ upload: Upload, in group: inout ThrowingTaskGroup<RestorePass.Finished, any Error>) {
    inFlight += 1
    inFlightBytes += upload.bytes.count
    let s3 = s3
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

  /// Records the end of an upload started by `start`.
  func ended(_ outcome: Outcome) {
    inFlight -= 1
    inFlightBytes -= outcome.bytes
  }

  /// Sends a large file as multipart parts read from `cursor`, and checks its bytes before the
  /// object is assembled; nil when they are damaged (the tracker was told).
  func sendLarge(
    _ node: RestoredNode, size: Int64, contentType: String?, action: NodeAction, cursor: ArchiveCursor,
    tracker: ProgressTracker
  ) async throws -> Outcome? {
    let partSize = MultipartUpload.partSize(for: size, preferred: MultipartUpload.partSizeUnit)
    var node = node
    do {
      try await MultipartUpload(client: s3, concurrency: min(jobs, 3))
        .upload(node.target, size: size, partSize: partSize, contentType: contentType) {
          try await cursor.read(upTo: partSize)
        } beforeCompleting: {
          // Every part is up but the object is not assembled yet: damaged bytes never become it.
          guard let digests = try await cursor.digests() else { return }
          if let damage = Self.damage(of: node, digests) { throw RestoreError.damagedMember(reason: damage) }
          node.uploaded = digests
        }
      return Outcome(node: node, bytes: 0, action: action)
    } catch let error as ArchiveError {
      throw error
    } catch RestoreError.damagedMember(let damage) {
      tracker.fail(node.target, damage)
      return nil
    } catch let error where !(error is CancellationError) && !Task.isCancelled {
      return Outcome(node: node, bytes: 0, action: action, error: "\(error)")
    }
  }

  /// Why the bytes read for `node` must not be uploaded, or nil.
  ///
  /// They must not when they are not those the manifest recorded. libarchive does not check a
  /// gzip trailer's CRC, so these checksums are what stands between a flipped bit in the archive
  /// and the server.
  static func damage(of node: RestoredNode, _ digests: ArchiveCursor.Digests) -> String? {
    guard let expected = node.expectedSHA256, expected != digests.sha256 else { return nil }
    return "damaged in the archive: its bytes' SHA-256 is \(digests.sha256), the manifest recorded \(expected); "
      + "not uploaded"
  }
}

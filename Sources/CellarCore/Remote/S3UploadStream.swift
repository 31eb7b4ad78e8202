// CellarCore: an S3 object written as a stream of unknown length: a multipart upload whose parts
// leave while the next one fills, completed only when the writer says the object is whole.
import Foundation
import S3Kit
import Synchronization

/// Writes one S3 object as a multipart upload, from a thread of our own (an archive writer's).
///
/// Bytes gather into a part; a full part is uploaded by a task of its own while the next one
/// fills, at most `concurrency` at once (`write` waits for a free slot), so memory holds at most
/// `concurrency + 1` parts. Parts are 8 MiB, growing by 8 MiB every 1,000 parts so that S3's
/// 10,000 parts reach 440 GB. Nothing exists under the key until `complete()`; `abort()` (or a
/// failed part) leaves nothing behind but what the server's lifecycle rules clean up if the
/// abort itself cannot reach it. Blocks the calling thread: never use it from the cooperative
/// pool.
final class S3UploadStream {
  /// The first parts' size; S3 wants at least 5 MiB for every part but the last.
  static let basePartSize = 8 << 20
  private static let partsPerStep = 1000

  /// The object's URL, for messages.
  let url: S3ObjectURL
  private let client: S3Client
  private let uploadID: String
  private let slots: DispatchSemaphore
  private let pending = DispatchGroup()
  private let shared = Shared()
  private var buffer: [UInt8] = []
  private var nextNumber = 1
  private var finished = false
  private var completed = false
  /// The abort a stopped process runs when this one cannot (`StopHooks`).
  private var stopHook: UUID?
  /// Bytes written.
  private(set) var byteCount: Int64 = 0
  /// The completed object's ETag, when the server gave one.
  private(set) var etag: String?

  /// What the part uploads report, from their tasks.
  private final class Shared: Sendable {
    struct State {
      var parts: [S3Client.Part] = []
      var failure: (any Error)?
      /// The part uploads under way, by part number.
      var uploads: [Int: Task<Void, Never>] = [:]
    }
    let state = Mutex(State())
  }

  /// Starts a multipart upload of `url`.
  init(_ url: S3ObjectURL, client: S3Client, contentType: String? = nil, concurrency: Int = 3) throws {
    self.url = url
    self.client = client
    let key = url.key
    let uploadID = try Self.run(url) { try await client.createMultipartUpload(key, contentType: contentType) }
    self.uploadID = uploadID
    slots = DispatchSemaphore(value: max(1, concurrency))
    stopHook = StopHooks.add { Self.abandon(client: client, key: key, uploadID: uploadID) }
    buffer.reserveCapacity(Self.partSize(1))
  }

  deinit {
    if !finished { abort() }
  }

  /// The size of part `number`.
  static func partSize(_ number: Int) -> Int {
    basePartSize * (1 + (number - 1) / partsPerStep)
  }

  /// Appends `bytes`, sending each part as it fills.
  func write(_ bytes: UnsafeRawBufferPointer) throws {
    var rest = bytes[...]
    while !rest.isEmpty {
      let room = Self.partSize(nextNumber) - buffer.count
      let piece = rest.prefix(room)
      buffer.append(contentsOf: piece)
      rest = rest.dropFirst(piece.count)
      byteCount += Int64(piece.count)
      if buffer.count == Self.partSize(nextNumber) { try send() }
    }
  }

  /// Sends the last part and waits for every part to be stored; the object does not exist yet.
  func flush() throws {
    if !buffer.isEmpty || nextNumber == 1 { try send() }
    pending.wait()
    if let failure = shared.state.withLock({ $0.failure }) { throw failure }
  }

  /// Assembles the uploaded parts into the object (after `flush()`).
  ///
  /// With `replacing` false, an object that appeared under the name meanwhile (another run) is
  /// kept: `PartialFile.Problem.taken`, and this upload is aborted.
  func complete(replacing: Bool) throws {
    let (client, key, uploadID, size) = (client, url.key, uploadID, byteCount)
    let parts = shared.state.withLock { $0.parts }
    finished = true
    do {
      etag = try Self.run(url) {
        try await client.completeMultipartUpload(
          key, uploadID: uploadID, parts: parts, expectedSize: size, onlyIfAbsent: !replacing)
      }
      completed = true
      stopHook.map(StopHooks.remove)
    } catch {
      abort()
      throw error
    }
  }

  /// Abandons the upload and its parts (best effort), quickly: a stopped run has little time.
  ///
  /// The parts under way are cancelled first, so that none is stored after the abort.
  func abort() {
    guard !completed else { return }
    finished = true
    for upload in shared.state.withLock({ $0.uploads.values }) { upload.cancel() }
    pending.wait()
    Self.abandon(client: client, key: url.key, uploadID: uploadID)
    stopHook.map(StopHooks.remove)
  }

  /// Asks the server to drop the upload and its parts, waited for (a few attempts at most).
  private static func abandon(client: S3Client, key: String, uploadID: String) {
    _ = try? BlockingCall.run { try await client.abortMultipartUpload(key, uploadID: uploadID) }
  }

  private func send() throws {
    if let failure = shared.state.withLock({ $0.failure }) { throw failure }
    slots.wait()
    let (bytes, number) = (buffer, nextNumber)
    buffer = []
    nextNumber += 1
    guard number <= MultipartUpload.maxParts else {
      slots.signal()
      throw CellarError.failed("\(url): the archive outgrew S3's \(MultipartUpload.maxParts) parts")
    }
    buffer.reserveCapacity(Self.partSize(nextNumber))
    let (client, key, uploadID, shared, slots, pending) = (client, url.key, uploadID, shared, slots, pending)
    pending.enter()
    // Registered under the lock before the task can remove itself.
    shared.state.withLock { state in
      state.uploads[number] = Task.detached {
        do {
          let part = try await client.uploadPart(key, uploadID: uploadID, number: number) { .bytes(bytes) }
          shared.state.withLock { $0.parts.append(part) }
        } catch {
          shared.state.withLock { $0.failure = $0.failure ?? error }
        }
        shared.state.withLock { _ = $0.uploads.removeValue(forKey: number) }
        slots.signal()
        pending.leave()
      }
    }
  }

  /// `work`, waited for, its failure named by `url`.
  private static func run<T: Sendable>(_ url: S3ObjectURL, _ work: @escaping @Sendable () async throws -> T) throws
    -> T
  {
    do {
      return try BlockingCall.run(work)
    } catch S3Error.server(_, _, 412, _, _) {
      throw PartialFile.Problem.taken(path: url.description)
    } catch {
      throw CellarError.failed("\(url): \(error)")
    }
  }
}

@available(*, unavailable)
extension S3UploadStream: Sendable {}

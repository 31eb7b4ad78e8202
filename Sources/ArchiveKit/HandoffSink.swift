// ArchiveKit: hands an archive's bytes to a thread of its own, so that compressing (and hashing
// and writing the result) runs beside the thread that formats the archive: two cores for a
// compressed archive instead of one (an `ArchiveWriter` for tar in front of an
// `ArchiveCompressor`).
import Foundation

/// An `ArchiveSink` that gathers bytes into 1 MiB buffers and passes them to `downstream` on a
/// dedicated thread.
///
/// At most two buffers wait, so memory stays bounded: the writer blocks while the
/// downstream thread is behind. The first error downstream is thrown by the next `write` or by
/// `close`, which also waits until `downstream` is closed. Abandoned without `close`, the thread
/// stops and `downstream` is never closed.
public final class HandoffSink: ArchiveSink {
  private static let bufferSize = 1 << 20
  private let channel = Channel()
  private var buffer: [UInt8] = []

  /// Starts the thread, named `name`, that feeds `downstream`.
  public init(downstream: any ArchiveSink, name: String) {
    // Safe: from here on only the thread touches `downstream`.
    nonisolated(unsafe) let downstream = downstream
    let channel = self.channel
    let thread = Thread { channel.run(downstream) }
    thread.name = name
    thread.start()
    buffer.reserveCapacity(Self.bufferSize)
  }

  deinit {
    channel.abandon()
  }

  /// Gathers `bytes`; a full buffer waits for room in the queue to the thread.
  public func write(_ bytes: UnsafeRawBufferPointer) throws {
    buffer.append(contentsOf: bytes)
    if buffer.count >= Self.bufferSize { try send() }
  }

  /// Sends what is gathered and waits until `downstream` is closed.
  public func close() throws {
    if !buffer.isEmpty { try send() }
    try channel.finish()
  }

  private func send() throws {
    let next = channel.spareBuffer(capacity: Self.bufferSize)
    try channel.send(buffer)
    buffer = next
  }
}

/// The queue between the writer and the thread, and how both ends stop.
private final class Channel: @unchecked Sendable {
  private static let depth = 2
  // Everything below is guarded by `condition`.
  private let condition = NSCondition()
  private var queue: [[UInt8]] = []
  /// Emptied buffers the thread gives back (a fresh 1 MiB buffer costs page faults).
  private var spare: [[UInt8]] = []
  private var closing = false
  private var abandoned = false
  private var finished = false
  private var failure: (any Error)?

  func spareBuffer(capacity: Int) -> [UInt8] {
    condition.withLock { spare.popLast() }
      ?? {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(capacity)
        return buffer
      }()
  }

  func send(_ bytes: [UInt8]) throws {
    condition.lock()
    defer { condition.unlock() }
    while queue.count >= Self.depth && !finished { condition.wait() }
    if let failure { throw failure }
    queue.append(bytes)
    condition.broadcast()
  }

  /// Waits until everything sent is written and `downstream` closed; throws what went wrong.
  func finish() throws {
    condition.lock()
    defer { condition.unlock() }
    closing = true
    condition.broadcast()
    while !finished { condition.wait() }
    if let failure { throw failure }
  }

  func abandon() {
    condition.withLock {
      abandoned = true
      condition.broadcast()
    }
  }

  /// What the thread does next.
  private enum Step {
    case write([UInt8])
    case close
    case stop
  }

  /// The thread's loop: writes each buffer downstream in order, then closes it.
  func run(_ downstream: any ArchiveSink) {
    while true {
      switch next() {
      case .write(let bytes):
        do {
          try bytes.withUnsafeBytes { try downstream.write($0) }
        } catch {
          return end(failure: error)
        }
        var emptied = bytes
        emptied.removeAll(keepingCapacity: true)
        condition.withLock { spare.append(emptied) }
      case .close:
        do {
          try downstream.close()
          return end(failure: nil)
        } catch {
          return end(failure: error)
        }
      case .stop:
        return
      }
    }
  }

  private func next() -> Step {
    condition.lock()
    defer { condition.unlock() }
    while queue.isEmpty && !closing && !abandoned { condition.wait() }
    if abandoned { return .stop }
    guard !queue.isEmpty else { return .close }
    condition.broadcast()
    return .write(queue.removeFirst())
  }

  private func end(failure: (any Error)?) {
    condition.withLock {
      self.failure = failure
      finished = true
      queue.removeAll()
      condition.broadcast()
    }
  }
}

// ArchiveKitTests: the sink that moves compression to a thread of its own keeps bytes in order,
// reports the far side's errors, and lets its thread go when abandoned.
import ArchiveKit
import Foundation
import Testing

/// A downstream sink for the tests: collects bytes, and can fail on a given write.
private final class RecordingSink: ArchiveSink, @unchecked Sendable {
  struct Failure: Error {}
  // Touched by the handoff thread only until `close` returns (or the sink is released).
  var bytes: [UInt8] = []
  var closeCount = 0
  let failOnWrite: Int?
  private var writes = 0

  init(failOnWrite: Int? = nil) {
    self.failOnWrite = failOnWrite
  }

  func write(_ chunk: UnsafeRawBufferPointer) throws {
    writes += 1
    if writes == failOnWrite { throw Failure() }
    bytes.append(contentsOf: chunk)
  }

  func close() throws { closeCount += 1 }
}

@Suite("Handing archive bytes to another thread")
struct HandoffSinkTests {
  @Test("every byte arrives in order, and close waits until the far side is closed")
  func order() throws {
    let downstream = RecordingSink()
    let sink = HandoffSink(downstream: downstream, name: "test-handoff")
    let data = (0..<5_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31 >> 3) }
    for start in stride(from: 0, to: data.count, by: 10_240) {
      try data[start..<min(start + 10_240, data.count)].withUnsafeBytes { try sink.write($0) }
    }
    try sink.close()
    #expect(downstream.closeCount == 1)
    #expect(downstream.bytes == data)
  }

  @Test("the far side's error is thrown by a later write or by close")
  func failure() {
    let sink = HandoffSink(downstream: RecordingSink(failOnWrite: 2), name: "test-handoff")
    let block = [UInt8](repeating: 7, count: 1 << 20)
    #expect(throws: RecordingSink.Failure.self) {
      for _ in 0..<16 { try block.withUnsafeBytes { try sink.write($0) } }
      try sink.close()
    }
  }

  @Test("abandoned without close, its thread ends and lets the far side go")
  func abandoned() async throws {
    weak var released: RecordingSink?
    do {
      let downstream = RecordingSink()
      released = downstream
      let sink = HandoffSink(downstream: downstream, name: "test-handoff")
      try [UInt8](repeating: 1, count: 3 << 20).withUnsafeBytes { try sink.write($0) }
    }
    // The thread holds the far side until it stops.
    for _ in 0..<500 where released != nil {
      try await Task.sleep(for: .milliseconds(10))
    }
    #expect(released == nil)
  }
}

import Testing

@testable import HTTPKit

@Suite("ChunkQueue")
struct ChunkQueueTests {
  @Test("partial reads cross chunk boundaries and keep the byte count")
  func partialReads() {
    var queue = ChunkQueue()
    queue.append([1, 2, 3])
    queue.append([])
    queue.append([4, 5])
    #expect(queue.byteCount == 5)
    var buffer = [UInt8](repeating: 0, count: 4)
    let read = buffer.withUnsafeMutableBytes { queue.consumeFront(into: $0) }
    #expect(read == 4)
    #expect(buffer == [1, 2, 3, 4])
    #expect(queue.byteCount == 1)
    #expect(queue.popFirst() == [5])
    #expect(queue.isEmpty)
    #expect(queue.popFirst() == nil)
  }

  @Test("popping after a partial read returns the rest of the chunk")
  func popAfterPartialRead() {
    var queue = ChunkQueue()
    queue.append([1, 2, 3])
    var buffer = [UInt8](repeating: 0, count: 1)
    _ = buffer.withUnsafeMutableBytes { queue.consumeFront(into: $0) }
    #expect(queue.popFirst() == [2, 3])
    #expect(queue.byteCount == 0)
  }
}

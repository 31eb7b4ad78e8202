// A FIFO of byte chunks that tracks how many bytes it holds.

/// First-in first-out chunks with a running byte count; popping is O(1) amortised.
struct ChunkQueue {
  private var chunks: [[UInt8]] = []
  private var head = 0
  /// Bytes held, not counting what `consumeFront` already took from the first chunk.
  private(set) var byteCount = 0
  /// How far into the first chunk `consumeFront` has read.
  private var offset = 0

  var isEmpty: Bool { head == chunks.count }

  mutating func append(_ chunk: [UInt8]) {
    guard !chunk.isEmpty else { return }
    chunks.append(chunk)
    byteCount += chunk.count
  }

  /// Removes and returns the first whole chunk.
  mutating func popFirst() -> [UInt8]? {
    guard !isEmpty else { return nil }
    var chunk = chunks[head]
    chunks[head] = []
    head += 1
    if offset > 0 {
      chunk.removeFirst(offset)
      offset = 0
    }
    byteCount -= chunk.count
    compactIfNeeded()
    return chunk
  }

  /// Copies as many bytes as fit into `buffer`, across chunk boundaries; returns the count.
  mutating func consumeFront(into buffer: UnsafeMutableRawBufferPointer) -> Int {
    var written = 0
    while written < buffer.count, !isEmpty {
      let take = chunks[head].withUnsafeBytes { chunk in
        let count = min(chunk.count - offset, buffer.count - written)
        UnsafeMutableRawBufferPointer(rebasing: buffer[written..<(written + count)])
          .copyMemory(from: UnsafeRawBufferPointer(rebasing: chunk[offset..<(offset + count)]))
        return count
      }
      written += take
      offset += take
      if offset == chunks[head].count {
        chunks[head] = []
        head += 1
        offset = 0
      }
    }
    byteCount -= written
    compactIfNeeded()
    return written
  }

  private mutating func compactIfNeeded() {
    if head == chunks.count {
      chunks.removeAll(keepingCapacity: true)
      head = 0
    } else if head >= 32 {
      chunks.removeFirst(head)
      head = 0
    }
  }
}

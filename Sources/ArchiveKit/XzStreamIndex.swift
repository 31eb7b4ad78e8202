// ArchiveKit: the frames of a tar.xz written as concatenated xz streams, found from its end:
// each stream ends with a footer that gives its index's size, and the index gives its blocks'
// sizes (the .xz file format, sections 2.1.2 and 4). A reader without the sidecar finds every
// frame this way.

/// Walks the streams of an xz file backward, through their footers and indexes.
public enum XzStreamIndex {
  static let footerMagic: [UInt8] = [0x59, 0x5A]
  static let headerSize: Int64 = 12
  static let footerSize: Int64 = 12
  /// Bytes read at a stream's end at once: its footer and, most often, its whole index.
  static let tailRead: Int64 = 4096
  /// The largest index believed (cellar's streams hold one block each: a few bytes).
  static let largestIndex: Int64 = 16 << 20
  /// Stream padding passed over at most after a stream (cellar writes none).
  static let largestPadding: Int64 = 1024

  /// The streams of an xz file of `fileSize` bytes, read through `read(offset, count)`, as
  /// frames; nil when it is not a sound xz file (or has more than `limit` streams).
  ///
  /// One read per stream (two for an index past 4 KiB); the streams must lead back exactly to
  /// the start of the file.
  public static func frames(
    fileSize: Int64, limit: Int = 1 << 20, read: (_ offset: Int64, _ count: Int) throws -> [UInt8]
  ) throws -> [ArchiveFrame]? {
    var end = fileSize
    // Each stream, last first: where it starts and how many bytes it decompresses to.
    var streams: [(start: Int64, uncompressed: Int64)] = []
    while end > 0 {
      guard streams.count < limit, end >= headerSize + footerSize else { return nil }
      let length = min(end, tailRead)
      var tail = try read(end - length, Int(length))
      guard tail.count == Int(length) else { return nil }
      // Stream padding: null bytes, in fours, after a stream.
      let padding = Int64(tail.reversed().prefix { $0 == 0 }.count) / 4 * 4
      if padding > 0 {
        guard padding <= largestPadding, end - padding > 0 else { return nil }
        end -= padding
        continue
      }
      let footer = Array(tail.suffix(Int(footerSize)))
      guard Array(footer[10...]) == footerMagic else { return nil }
      let indexSize = (Int64(LittleEndian.uint32(footer, at: 4)) + 1) * 4
      let indexStart = end - footerSize - indexSize
      guard indexStart >= headerSize, indexSize <= largestIndex else { return nil }
      if indexSize + footerSize > length {
        tail = try read(indexStart, Int(indexSize))
        guard tail.count == Int(indexSize) else { return nil }
      } else {
        tail = Array(tail[(tail.count - Int(footerSize + indexSize))..<(tail.count - Int(footerSize))])
      }
      guard let (blocks, uncompressed) = parseIndex(tail), blocks <= indexStart - headerSize else { return nil }
      let start = indexStart - blocks - headerSize
      streams.append((start, uncompressed))
      end = start
    }
    // The sizes must lead exactly to the start of the file (a damaged first stream header still
    // leaves the other streams readable: a reader checks each stream's magic before it starts).
    guard streams.last?.start == 0 else { return nil }
    var frames: [ArchiveFrame] = []
    var uncompressed: Int64 = 0
    for stream in streams.reversed() {
      frames.append(ArchiveFrame(compressedOffset: stream.start, uncompressedOffset: uncompressed))
      let (sum, overflow) = uncompressed.addingReportingOverflow(stream.uncompressed)
      guard !overflow else { return nil }
      uncompressed = sum
    }
    return frames
  }

  /// The bytes the blocks an index lists take (each padded to four) and their uncompressed
  /// size, or nil for a malformed index (sizes past 2^62 included).
  static func parseIndex(_ index: [UInt8]) -> (blocks: Int64, uncompressed: Int64)? {
    guard index.first == 0 else { return nil }
    let largest: Int64 = 1 << 62
    var position = 1
    guard let count = varint(index, &position), count <= Int64(index.count) else { return nil }
    var blocks: Int64 = 0
    var uncompressed: Int64 = 0
    for _ in 0..<count {
      guard let unpadded = varint(index, &position), let size = varint(index, &position), unpadded < largest,
        size < largest
      else { return nil }
      blocks += (unpadded + 3) & ~3
      uncompressed += size
      guard blocks < largest, uncompressed < largest else { return nil }
    }
    return (blocks, uncompressed)
  }

  /// A multibyte integer (7 bits a byte, low first, at most 9 bytes) at `position`.
  private static func varint(_ bytes: [UInt8], _ position: inout Int) -> Int64? {
    var value: Int64 = 0
    for shift in stride(from: 0, to: 63, by: 7) {
      guard position < bytes.count else { return nil }
      let byte = bytes[position]
      position += 1
      value |= Int64(byte & 0x7F) << Int64(shift)
      if byte & 0x80 == 0 { return value }
    }
    return nil
  }
}

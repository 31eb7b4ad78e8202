// ArchiveKit: the frames of a tar.xz written as concatenated xz streams, found from its end:
// each stream ends with a footer that gives its index's size, and the index gives its blocks'
// sizes (the .xz file format, sections 2.1.2 and 4). A reader without the sidecar finds every
// frame this way.

/// Walks the streams of an xz file backward, through their footers and indexes.
public enum XzStreamIndex {
  static let headerMagic: [UInt8] = [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]
  static let footerMagic: [UInt8] = [0x59, 0x5A]
  static let headerSize: Int64 = 12
  static let footerSize: Int64 = 12

  /// The streams of an xz file of `fileSize` bytes, read through `read(offset, count)`, as
  /// frames; nil when it is not a sound xz file (or has more than `limit` streams).
  public static func frames(
    fileSize: Int64, limit: Int = 1 << 20, read: (_ offset: Int64, _ count: Int) throws -> [UInt8]
  ) throws -> [ArchiveFrame]? {
    var end = fileSize
    // Each stream, last first: where it starts and how many bytes it decompresses to.
    var streams: [(start: Int64, uncompressed: Int64)] = []
    while end > 0 {
      guard streams.count < limit, end >= headerSize + footerSize else { return nil }
      // Stream padding: null bytes, in fours, after a stream.
      let tail = try read(end - 4, 4)
      if tail == [0, 0, 0, 0] {
        end -= 4
        continue
      }
      let footer = try read(end - footerSize, Int(footerSize))
      guard footer.count == Int(footerSize), Array(footer[10...]) == footerMagic else { return nil }
      let indexSize = (Int64(uint32(footer, at: 4)) + 1) * 4
      let indexStart = end - footerSize - indexSize
      guard indexStart >= headerSize, indexSize <= 1 << 30 else { return nil }
      guard let (blocks, uncompressed) = parseIndex(try read(indexStart, Int(indexSize))) else { return nil }
      let start = indexStart - blocks - headerSize
      guard start >= 0, try read(start, headerMagic.count) == headerMagic else { return nil }
      streams.append((start, uncompressed))
      end = start
    }
    // Padding may follow a stream, never start the file.
    guard streams.last?.start == 0 else { return nil }
    var frames: [ArchiveFrame] = []
    var uncompressed: Int64 = 0
    for stream in streams.reversed() {
      frames.append(ArchiveFrame(compressedOffset: stream.start, uncompressedOffset: uncompressed))
      uncompressed += stream.uncompressed
    }
    return frames
  }

  /// The bytes the blocks an index lists take (each padded to four) and their uncompressed
  /// size, or nil for a malformed index.
  static func parseIndex(_ index: [UInt8]) -> (blocks: Int64, uncompressed: Int64)? {
    guard index.first == 0 else { return nil }
    var position = 1
    guard let count = varint(index, &position), count < 1 << 40 else { return nil }
    var blocks: Int64 = 0
    var uncompressed: Int64 = 0
    for _ in 0..<count {
      guard let unpadded = varint(index, &position), let size = varint(index, &position) else { return nil }
      blocks += (unpadded + 3) & ~3
      uncompressed += size
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

  private static func uint32(_ bytes: [UInt8], at index: Int) -> UInt32 {
    (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[index + $1]) << (8 * UInt32($1)) }
  }
}

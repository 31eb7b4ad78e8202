// ArchiveKit: the last member of a plain tar found from its end, by its header: a reader without
// the sidecar finds the manifest member this way.

/// Scans a tar backward, 512-byte block by block, for a member's ustar header.
public enum TarTail {
  static let blockSize = 512
  /// The first read is small, so that an archive that is no tar is given up cheaply.
  static let firstChunk = 64 << 10
  static let chunkSize = 1 << 20
  /// Zero blocks passed over at the end: a tar's two, and its last record's padding.
  static let zeroBlocks = 64

  /// Where the header of the last member, named `name` and holding text, starts (a ustar
  /// header, its name field exactly `name`, its checksum right), in a tar of `fileSize` bytes
  /// read through `read(offset, count)`; nil when the tar does not end so.
  ///
  /// The scan passes the zero blocks that end a tar (64 at most), then text blocks only (no byte
  /// under 0x20 but newlines, zeros only at the end of the last), so that a tar ending with a
  /// binary member is given up at once instead of being read back to front.
  public static func lastHeader(
    named name: String, fileSize: Int64, read: (_ offset: Int64, _ count: Int) throws -> [UInt8]
  ) throws -> Int64? {
    let wanted = Array(name.utf8)
    guard wanted.count < 100 else { return nil }
    var end = fileSize - fileSize % Int64(blockSize)
    var sawText = false
    var zeros = 0
    var chunk = firstChunk
    while end > 0 {
      let start = max(0, end - Int64(chunk))
      chunk = chunkSize
      let data = try read(start, Int(end - start))
      guard data.count == Int(end - start) else { return nil }
      var block = data.count - blockSize
      while block >= 0 {
        if isHeader(data, at: block, named: wanted) { return start + Int64(block) }
        let bytes = data[block..<block + blockSize]
        if sawText {
          guard bytes.allSatisfy({ $0 >= 0x20 || $0 == 0x0A }) else { return nil }
        } else if bytes.contains(where: { $0 != 0 }) {
          // The last block of the text: zeros may pad it.
          let text = bytes.prefix { $0 != 0 }
          guard text.allSatisfy({ $0 >= 0x20 || $0 == 0x0A }), bytes.dropFirst(text.count).allSatisfy({ $0 == 0 })
          else { return nil }
          sawText = true
        } else {
          zeros += 1
          guard zeros <= Self.zeroBlocks else { return nil }
        }
        block -= blockSize
      }
      end = start
    }
    return nil
  }

  /// Whether the block at `offset` of `bytes` is a ustar header named `name` whose checksum
  /// (the bytes summed, the checksum field counted as spaces) is right.
  static func isHeader(_ bytes: [UInt8], at offset: Int, named name: [UInt8]) -> Bool {
    guard bytes[offset..<offset + name.count].elementsEqual(name), bytes[offset + name.count] == 0,
      bytes[(offset + 257)..<(offset + 262)].elementsEqual("ustar".utf8)
    else { return false }
    var sum = 0
    for index in 0..<blockSize {
      sum += (148..<156).contains(index) ? 0x20 : Int(bytes[offset + index])
    }
    let field = bytes[(offset + 148)..<(offset + 156)].prefix { $0 != 0 && $0 != 0x20 }
    return Int(String(decoding: field, as: UTF8.self), radix: 8) == sum
  }
}

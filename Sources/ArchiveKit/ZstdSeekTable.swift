// ArchiveKit: the seek table of the zstd seekable format, a skippable frame at the end of a
// tar.zst that lists its frames' sizes (zstd's contrib/seekable_format/zstd_seekable_compression_format.md).
// zstd and every zstd reader skip it; a seeking reader finds every frame from it.

/// Encodes and decodes the seek table: a skippable frame (magic 0x184D2A5E) holding one entry of
/// compressed and decompressed size (32-bit, little-endian) per frame, then a footer with the
/// frame count, a descriptor byte (0: no checksums) and the seekable magic 0x8F92EAB1.
public enum ZstdSeekTable {
  static let skippableMagic: UInt32 = 0x184D_2A5E
  static let seekableMagic: UInt32 = 0x8F92_EAB1
  /// Frame count, descriptor, magic.
  public static let footerSize = 9
  /// The largest frame, compressed or not, that an entry can describe.
  public static let maximumFrameSize = Int64(UInt32.max)

  /// The skippable frame describing frames of these sizes.
  static func encode(_ sizes: [(compressed: Int64, uncompressed: Int64)]) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(8 + sizes.count * 8 + footerSize)
    append(skippableMagic, to: &bytes)
    append(UInt32(sizes.count * 8 + footerSize), to: &bytes)
    for size in sizes {
      append(UInt32(size.compressed), to: &bytes)
      append(UInt32(size.uncompressed), to: &bytes)
    }
    append(UInt32(sizes.count), to: &bytes)
    bytes.append(0)
    append(seekableMagic, to: &bytes)
    return bytes
  }

  /// The frames listed by a seek table that ends `fileSize` bytes into a file, read through
  /// `read(offset, count)`; nil when the file does not end with one (or it does not add up).
  public static func frames(
    fileSize: Int64, read: (_ offset: Int64, _ count: Int) throws -> [UInt8]
  ) throws -> [ArchiveFrame]? {
    guard fileSize >= Int64(8 + footerSize) else { return nil }
    let footer = try read(fileSize - Int64(footerSize), footerSize)
    guard footer.count == footerSize, LittleEndian.uint32(footer, at: 5) == seekableMagic, footer[4] & 0x7C == 0 else {
      return nil
    }
    let count = Int64(LittleEndian.uint32(footer, at: 0))
    let entrySize: Int64 = footer[4] & 0x80 == 0 ? 8 : 12
    let tableSize = 8 + count * entrySize + Int64(footerSize)
    // A seek table past 64 MiB (eight million frames) is not believed.
    guard tableSize <= fileSize, tableSize <= 64 << 20 else { return nil }
    let table = try read(fileSize - tableSize, Int(tableSize))
    guard table.count == Int(tableSize), LittleEndian.uint32(table, at: 0) == skippableMagic,
      Int64(LittleEndian.uint32(table, at: 4)) == tableSize - 8
    else { return nil }
    var frames: [ArchiveFrame] = []
    frames.reserveCapacity(Int(count))
    var compressed: Int64 = 0
    var uncompressed: Int64 = 0
    for index in 0..<Int(count) {
      let entry = 8 + index * Int(entrySize)
      frames.append(ArchiveFrame(compressedOffset: compressed, uncompressedOffset: uncompressed))
      compressed += Int64(LittleEndian.uint32(table, at: entry))
      uncompressed += Int64(LittleEndian.uint32(table, at: entry + 4))
    }
    return compressed == fileSize - tableSize ? frames : nil
  }

  private static func append(_ value: UInt32, to bytes: inout [UInt8]) {
    withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
  }
}

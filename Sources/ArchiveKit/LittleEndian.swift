// ArchiveKit: little-endian integers read out of the byte tables of the formats cellar indexes
// (zstd seek table, xz footer, zip directory).

/// Reads little-endian integers from a byte array.
enum LittleEndian {
  static func uint16(_ bytes: [UInt8], at index: Int) -> UInt16 {
    UInt16(bytes[index]) | UInt16(bytes[index + 1]) << 8
  }

  static func uint32(_ bytes: [UInt8], at index: Int) -> UInt32 {
    UInt32(uint16(bytes, at: index)) | UInt32(uint16(bytes, at: index + 2)) << 16
  }

  static func uint64(_ bytes: [UInt8], at index: Int) -> UInt64 {
    UInt64(uint32(bytes, at: index)) | UInt64(uint32(bytes, at: index + 4)) << 32
  }
}

// ArchiveKit: the member names of a zip file exactly as stored, from its central directory.
//
// libarchive converts every zip name flagged UTF-8 to Unicode NFC (NameLocale.swift), so the
// NFC and NFD spellings of a name, two different Cells nodes, would come back as one. The
// central directory holds the stored bytes; this reads it one entry at a time, beside
// libarchive, so that the reader can hand out the stored name of each member.
import DescriptorIO

#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Musl)
  internal import Musl
#elseif canImport(Darwin)
  internal import Darwin
#endif

/// The central directory of a zip file, read entry by entry (16 bytes of state, whatever the
/// number of entries).
struct ZipCentralDirectory {
  private let descriptor: Int32
  private var offset: Int64
  private var remaining: UInt64

  /// The central directory of the zip in the regular file `descriptor` (read with `pread`, so
  /// the descriptor's position is untouched), or nil when the end records cannot be found.
  init?(descriptor: Int32) {
    var status = stat()
    guard fstat(descriptor, &status) == 0 else { return nil }
    let size = Int64(status.st_size)
    // The end record (22 bytes) follows the central directory, with a comment of up to 64 KiB.
    let tailLength = Int(min(size, 22 + 0xFFFF))
    guard let tail = Self.read(descriptor, at: size - Int64(tailLength), count: tailLength), tail.count >= 22,
      let end = (0...(tail.count - 22)).reversed().first(where: { Self.uint32(tail, $0) == 0x0605_4B50 })
    else { return nil }
    var entries = UInt64(Self.uint16(tail, end + 10))
    var start = Int64(Self.uint32(tail, end + 16))
    if entries == 0xFFFF || start == 0xFFFF_FFFF {
      // Zip64: a locator just before the end record points to the zip64 end record.
      let locatorAt = size - Int64(tailLength) + Int64(end) - 20
      guard locatorAt >= 0, let locator = Self.read(descriptor, at: locatorAt, count: 20),
        Self.uint32(locator, 0) == 0x0706_4B50,
        let record = Self.read(descriptor, at: Int64(bitPattern: Self.uint64(locator, 8)), count: 56),
        Self.uint32(record, 0) == 0x0606_4B50
      else { return nil }
      entries = Self.uint64(record, 32)
      start = Int64(bitPattern: Self.uint64(record, 48))
    }
    self.descriptor = descriptor
    offset = start
    remaining = entries
  }

  /// The stored name of the next entry, or nil after the last (or at a damaged entry).
  mutating func nextName() -> [UInt8]? {
    guard remaining > 0, let header = Self.read(descriptor, at: offset, count: 46),
      Self.uint32(header, 0) == 0x0201_4B50
    else {
      remaining = 0
      return nil
    }
    let nameLength = Int(Self.uint16(header, 28))
    let rest = Int64(Self.uint16(header, 30)) + Int64(Self.uint16(header, 32))
    guard let name = Self.read(descriptor, at: offset + 46, count: nameLength) else {
      remaining = 0
      return nil
    }
    offset += 46 + Int64(nameLength) + rest
    remaining -= 1
    return name
  }

  private static func read(_ descriptor: Int32, at offset: Int64, count: Int) -> [UInt8]? {
    guard offset >= 0 else { return nil }
    var bytes = [UInt8](repeating: 0, count: count)
    let done = try? bytes.withUnsafeMutableBytes { raw in
      try DescriptorIO.readFully(descriptor, into: raw, at: offset)
    }
    return done == count ? bytes : nil
  }

  private static func uint16(_ bytes: [UInt8], _ at: Int) -> UInt16 {
    UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
  }

  private static func uint32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
    UInt32(uint16(bytes, at)) | UInt32(uint16(bytes, at + 2)) << 16
  }

  private static func uint64(_ bytes: [UInt8], _ at: Int) -> UInt64 {
    UInt64(uint32(bytes, at)) | UInt64(uint32(bytes, at + 4)) << 32
  }
}

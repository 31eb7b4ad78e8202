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
public struct ZipCentralDirectory {
  private let descriptor: Int32
  private var offset: Int64
  private var remaining: UInt64

  /// The central directory of the zip in the regular file `descriptor` (read with `pread`, so
  /// the descriptor's position is untouched), or nil when the end records cannot be found.
  init?(descriptor: Int32) {
    var status = stat()
    guard fstat(descriptor, &status) == 0,
      let directory = Self.locate(fileSize: Int64(status.st_size), read: { Self.read(descriptor, at: $0, count: $1) })
    else { return nil }
    self.descriptor = descriptor
    offset = directory.start
    remaining = directory.entries
  }

  /// Where the central directory of a zip of `fileSize` bytes is, from its end records (zip64
  /// ones too), read through `read(offset, count)` (nil: not readable).
  static func locate(
    fileSize size: Int64, read: (_ offset: Int64, _ count: Int) throws -> [UInt8]?
  ) rethrows -> (entries: UInt64, start: Int64, size: Int64)? {
    // The end record (22 bytes) follows the central directory, with a comment of up to 64 KiB.
    let tailLength = Int(min(size, 22 + 0xFFFF))
    guard let tail = try read(size - Int64(tailLength), tailLength), tail.count >= 22,
      let end = (0...(tail.count - 22)).reversed().first(where: { uint32(tail, $0) == 0x0605_4B50 })
    else { return nil }
    var entries = UInt64(uint16(tail, end + 10))
    var length = Int64(uint32(tail, end + 12))
    var start = Int64(uint32(tail, end + 16))
    if entries == 0xFFFF || start == 0xFFFF_FFFF || length == 0xFFFF_FFFF {
      // Zip64: a locator just before the end record points to the zip64 end record.
      let locatorAt = size - Int64(tailLength) + Int64(end) - 20
      guard locatorAt >= 0, let locator = try read(locatorAt, 20), locator.count == 20,
        uint32(locator, 0) == 0x0706_4B50,
        let record = try read(Int64(bitPattern: uint64(locator, 8)), 56), record.count == 56,
        uint32(record, 0) == 0x0606_4B50
      else { return nil }
      entries = uint64(record, 32)
      length = Int64(bitPattern: uint64(record, 40))
      start = Int64(bitPattern: uint64(record, 48))
    }
    guard start >= 0, length >= 0, start + length <= size else { return nil }
    return (entries, start, length)
  }

  /// Where the local header of the zip's last entry starts, when that entry is named `name`
  /// (the manifest cellar writes last): found in the last bytes of the central directory, so
  /// that a reader without the sidecar does not read the whole directory.
  public static func lastEntryOffset(
    named name: String, fileSize: Int64, read: (_ offset: Int64, _ count: Int) throws -> [UInt8]
  ) throws -> Int64? {
    guard let directory = try locate(fileSize: fileSize, read: { try read($0, $1) }) else { return nil }
    let wanted = Array(name.utf8)
    let length = Int(min(directory.size, Int64(46 + wanted.count + 2 * 0xFFFF)))
    let tail = try read(directory.start + directory.size - Int64(length), length)
    guard tail.count == length, length >= 46 else { return nil }
    for at in stride(from: length - 46, through: 0, by: -1) where uint32(tail, at) == 0x0201_4B50 {
      let nameLength = Int(uint16(tail, at + 28))
      let extraLength = Int(uint16(tail, at + 30))
      guard at + 46 + nameLength + extraLength + Int(uint16(tail, at + 32)) == length,
        tail[(at + 46)..<(at + 46 + nameLength)].elementsEqual(wanted)
      else { continue }
      let offset = uint32(tail, at + 42)
      guard offset == 0xFFFF_FFFF else { return Int64(offset) }
      // Zip64: the offset is in the extra field 0x0001, after the sizes that are also there.
      var field = at + 46 + nameLength
      while field + 4 <= at + 46 + nameLength + extraLength {
        let size = Int(uint16(tail, field + 2))
        if uint16(tail, field) == 0x0001 {
          var position = field + 4
          if uint32(tail, at + 24) == 0xFFFF_FFFF { position += 8 }
          if uint32(tail, at + 20) == 0xFFFF_FFFF { position += 8 }
          guard position + 8 <= field + 4 + size else { return nil }
          return Int64(bitPattern: uint64(tail, position))
        }
        field += 4 + size
      }
      return nil
    }
    return nil
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

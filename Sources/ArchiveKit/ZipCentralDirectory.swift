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

/// The central directory of a zip file, read entry by entry through a 64 KiB window (memory
/// stays the same whatever the number of entries; a remote or encrypted zip costs one read per
/// window, not two per entry).
struct ZipCentralDirectory {
  /// Reads `count` bytes at an offset, without moving anything libarchive reads through.
  typealias Read = (_ offset: Int64, _ count: Int) -> [UInt8]?

  private let readAt: Read
  private var offset: Int64
  private var remaining: UInt64
  private var window: [UInt8] = []
  private var windowStart: Int64 = 0
  private static let windowSize = 64 << 10

  /// The central directory of the zip in the regular file `descriptor` (read with `pread`, so
  /// the descriptor's position is untouched), or nil when the end records cannot be found.
  init?(descriptor: Int32) {
    var status = stat()
    guard fstat(descriptor, &status) == 0 else { return nil }
    self.init(size: Int64(status.st_size)) { Self.read(descriptor, at: $0, count: $1) }
  }

  /// The central directory of a zip of `size` bytes read through `read`, or nil when the end
  /// records cannot be found.
  init?(size: Int64, read: @escaping Read) {
    guard let directory = Self.locate(fileSize: size, read: read) else { return nil }
    readAt = read
    offset = directory.start
    remaining = directory.entries
  }

  /// `count` bytes at `offset`, from the window (moved forward when they are past it).
  private mutating func bytes(at offset: Int64, count: Int) -> [UInt8]? {
    let end = windowStart + Int64(window.count)
    if offset < windowStart || offset + Int64(count) > end {
      guard let fresh = readAt(offset, max(count, Self.windowSize)) else { return nil }
      (window, windowStart) = (fresh, offset)
    }
    let start = Int(offset - windowStart)
    guard start + count <= window.count else { return nil }
    return Array(window[start..<start + count])
  }

  /// Where the central directory of a zip of `fileSize` bytes is, from its end records (zip64
  /// ones too), read through `read(offset, count)` (nil: not readable).
  static func locate(
    fileSize size: Int64, read: (_ offset: Int64, _ count: Int) throws -> [UInt8]?
  ) rethrows -> (entries: UInt64, start: Int64, size: Int64)? {
    // The end record (22 bytes) follows the central directory, with a comment of up to 64 KiB.
    let tailLength = Int(min(size, 22 + 0xFFFF))
    guard let tail = try read(size - Int64(tailLength), tailLength), tail.count >= 22,
      let end = (0...(tail.count - 22)).reversed().first(where: { LittleEndian.uint32(tail, at: $0) == 0x0605_4B50 })
    else { return nil }
    var entries = UInt64(LittleEndian.uint16(tail, at: end + 10))
    var length = Int64(LittleEndian.uint32(tail, at: end + 12))
    var start = Int64(LittleEndian.uint32(tail, at: end + 16))
    if entries == 0xFFFF || start == 0xFFFF_FFFF || length == 0xFFFF_FFFF {
      // Zip64: a locator just before the end record points to the zip64 end record.
      let locatorAt = size - Int64(tailLength) + Int64(end) - 20
      guard locatorAt >= 0, let locator = try read(locatorAt, 20), locator.count == 20,
        LittleEndian.uint32(locator, at: 0) == 0x0706_4B50,
        case let recordAt = Int64(bitPattern: LittleEndian.uint64(locator, at: 8)), recordAt >= 0,
        recordAt <= size - 56, let record = try read(recordAt, 56), record.count == 56,
        LittleEndian.uint32(record, at: 0) == 0x0606_4B50
      else { return nil }
      entries = LittleEndian.uint64(record, at: 32)
      length = Int64(bitPattern: LittleEndian.uint64(record, at: 40))
      start = Int64(bitPattern: LittleEndian.uint64(record, at: 48))
    }
    guard start >= 0, length >= 0, length <= size - start else { return nil }
    return (entries, start, length)
  }

  /// The stored name of the next entry, or nil after the last (or at a damaged entry).
  mutating func nextName() -> [UInt8]? {
    guard remaining > 0, let header = bytes(at: offset, count: 46),
      LittleEndian.uint32(header, at: 0) == 0x0201_4B50
    else {
      remaining = 0
      return nil
    }
    let nameLength = Int(LittleEndian.uint16(header, at: 28))
    let rest = Int64(LittleEndian.uint16(header, at: 30)) + Int64(LittleEndian.uint16(header, at: 32))
    guard let name = bytes(at: offset + 46, count: nameLength) else {
      remaining = 0
      return nil
    }
    offset += 46 + Int64(nameLength) + rest
    remaining -= 1
    return name
  }

  /// Up to `count` bytes at `offset` (fewer at the end), nil when unreadable.
  private static func read(_ descriptor: Int32, at offset: Int64, count: Int) -> [UInt8]? {
    guard offset >= 0 else { return nil }
    var bytes = [UInt8](repeating: 0, count: count)
    guard let done = try? bytes.withUnsafeMutableBytes({ try DescriptorIO.readFully(descriptor, into: $0, at: offset) })
    else { return nil }
    bytes.removeLast(count - done)
    return bytes
  }
}

// ArchiveKit: the last entry of a zip found from its end, for a reader without the sidecar
// (cellar's manifest is the last entry it writes).

/// Finds a zip's last entry in the last bytes of its central directory.
public enum ZipTail {
  /// A central directory header without its name, extra field and comment.
  static let headerSize = 46

  /// Where the local header of the zip's last entry starts, when that entry is named `name`.
  ///
  /// Found in the last bytes of the central directory of a zip of `fileSize` bytes read through
  /// `read(offset, count)`, so that the whole directory is not read. Nil for anything else.
  public static func lastEntryOffset(
    named name: String, fileSize: Int64, read: (_ offset: Int64, _ count: Int) throws -> [UInt8]
  ) throws -> Int64? {
    guard let directory = try ZipCentralDirectory.locate(fileSize: fileSize, read: { try read($0, $1) }) else {
      return nil
    }
    let wanted = Array(name.utf8)
    let length = Int(min(directory.size, Int64(headerSize + wanted.count + 2 * 0xFFFF)))
    guard length >= headerSize else { return nil }
    let tail = try read(directory.start + directory.size - Int64(length), length)
    guard tail.count == length else { return nil }
    for at in stride(from: length - headerSize, through: 0, by: -1)
    where LittleEndian.uint32(tail, at: at) == 0x0201_4B50 {
      let nameLength = Int(LittleEndian.uint16(tail, at: at + 28))
      let extraLength = Int(LittleEndian.uint16(tail, at: at + 30))
      let extraStart = at + headerSize + nameLength
      guard extraStart + extraLength + Int(LittleEndian.uint16(tail, at: at + 32)) == length,
        tail[(at + headerSize)..<extraStart].elementsEqual(wanted)
      else { continue }
      let offset = LittleEndian.uint32(tail, at: at + 42)
      guard offset == 0xFFFF_FFFF else { return Int64(offset) }
      return zip64Offset(tail, header: at, extra: extraStart..<(extraStart + extraLength))
    }
    return nil
  }

  /// The local header offset from the zip64 extra field (0x0001), after the sizes that are
  /// there too; nil when the field is missing or too short.
  private static func zip64Offset(_ tail: [UInt8], header at: Int, extra: Range<Int>) -> Int64? {
    var field = extra.lowerBound
    while field + 4 <= extra.upperBound {
      let size = Int(LittleEndian.uint16(tail, at: field + 2))
      let end = min(field + 4 + size, extra.upperBound)
      if LittleEndian.uint16(tail, at: field) == 0x0001 {
        var position = field + 4
        if LittleEndian.uint32(tail, at: at + 24) == 0xFFFF_FFFF { position += 8 }
        if LittleEndian.uint32(tail, at: at + 20) == 0xFFFF_FFFF { position += 8 }
        guard position + 8 <= end else { return nil }
        let offset = Int64(bitPattern: LittleEndian.uint64(tail, at: position))
        return offset >= 0 ? offset : nil
      }
      field = end
    }
    return nil
  }
}

// ArchiveKitTests: reads a whole (small) archive back with ArchiveReader.
import Foundation

@testable import ArchiveKit

/// A member and its data, as ArchiveReader returned them.
struct ReadMember {
  var member: ArchiveMember
  var data: [UInt8]
}

enum ReadBack {
  /// Reads every member and its data, through `forEachChunk`.
  static func all(_ reader: ArchiveReader) throws -> [ReadMember] {
    var members: [ReadMember] = []
    while let member = try reader.next() {
      var data: [UInt8] = []
      try reader.forEachChunk { data.append(contentsOf: $0) }
      members.append(ReadMember(member: member, data: data))
    }
    return members
  }

  /// Reads the first error `ArchiveReader` throws for `archive`, from the initializer, `next()`
  /// or reading data; `nil` if it reads to the end without one.
  static func firstError(_ archive: URL) -> ArchiveError? {
    do {
      let reader = try ArchiveReader(path: archive.path)
      _ = try all(reader)
      return nil
    } catch let error as ArchiveError {
      return error
    } catch {
      return .library(operation: "unexpected", code: 0, message: "\(error)")
    }
  }
}

/// An `ArchiveSource` over bytes in memory, handing them out in small uneven pieces.
final class MemorySource: ArchiveSource {
  private let bytes: [UInt8]
  private var offset = 0

  init(_ bytes: [UInt8]) {
    self.bytes = bytes
  }

  func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    let count = min(buffer.count, bytes.count - offset, 7_777)
    bytes.withUnsafeBytes { source in
      buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<offset + count]))
    }
    offset += count
    return count
  }
}

/// An `ArchiveSink` that collects everything in memory.
final class MemorySink: ArchiveSink {
  private(set) var bytes: [UInt8] = []
  private(set) var closeCount = 0

  func write(_ chunk: UnsafeRawBufferPointer) throws {
    bytes.append(contentsOf: chunk)
  }

  func close() throws {
    closeCount += 1
  }
}

// Fuzz target: the archive reader on arbitrary bytes (every format libarchive detects).
import ArchiveKit
import FuzzSupport

/// Bytes handed to the reader as a stream.
final class Bytes: ArchiveSource {
  private let bytes: [UInt8]
  private var offset = 0
  init(_ bytes: [UInt8]) { self.bytes = bytes }

  func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    let count = min(buffer.count, bytes.count - offset)
    guard count > 0 else { return 0 }
    bytes.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: count) }
    offset += count
    return count
  }
}

/// Any bytes give members with safe names and their data, or an error, never a crash; reading
/// stops after 64 MiB of member data or 100,000 members.
func fuzz(_ bytes: [UInt8]) {
  guard let reader = try? ArchiveReader(source: Bytes(bytes)) else { return }
  var total = 0
  var buffer = [UInt8](repeating: 0, count: 1 << 16)
  // Bounded in members too: a reader that stopped moving forward would show as a timeout.
  for _ in 0..<100_000 where total < 64 << 20 {
    let member: ArchiveMember?
    do {
      member = try reader.next()
    } catch ArchiveError.unsafeMemberName, ArchiveError.unsupportedMemberType {
      continue
    } catch {
      return
    }
    guard let member else { return }
    precondition(!member.path.hasPrefix("/") && !member.path.split(separator: "/").contains(".."))
    while total < 64 << 20 {
      guard let count = try? buffer.withUnsafeMutableBytes({ try reader.read(into: $0) }), count > 0 else { break }
      total += count
    }
  }
}

@main
struct Fuzz {
  static func main() { FuzzTarget.main(fuzz) }
}

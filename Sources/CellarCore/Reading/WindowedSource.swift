// CellarCore: an archive read on from an offset, in growing windows (a remote one, or an
// encrypted one, where each read is a request or a decryption).
import ArchiveKit

/// The bytes of an archive from an offset on, fetched in windows that double from 64 KiB to
/// 8 MiB: a small member costs one small request, a whole frame a handful.
///
/// It can also move (a zip is read by its central directory): a move within the window in hand
/// costs nothing, another one starts again from a small window.
final class WindowedSource: SeekableArchiveSource {
  private static let firstWindow = 64 << 10
  private static let largestWindow = 8 << 20

  private let bytes: any ArchiveBytes
  /// Where the next window starts.
  private var offset: Int64
  private var window = WindowedSource.firstWindow
  private var buffer: [UInt8] = []
  /// Bytes of `buffer` already handed out.
  private var used = 0

  init(bytes: any ArchiveBytes, offset: Int64) {
    self.bytes = bytes
    self.offset = offset
  }

  var size: Int64 { bytes.size }

  var position: Int64 { offset - Int64(buffer.count - used) }

  func read(at offset: Int64, count: Int) throws -> [UInt8] {
    try bytes.read(at: offset, count: count)
  }

  func seek(to target: Int64) throws {
    let start = offset - Int64(buffer.count)
    if (start...offset).contains(target) {
      used = Int(target - start)
      return
    }
    (offset, buffer, used, window) = (target, [], 0, Self.firstWindow)
  }

  func read(into destination: UnsafeMutableRawBufferPointer) throws -> Int {
    if used == buffer.count {
      buffer = try bytes.read(at: offset, count: window)
      used = 0
      offset += Int64(buffer.count)
      window = min(window * 2, Self.largestWindow)
      if buffer.isEmpty { return 0 }
    }
    let count = min(destination.count, buffer.count - used)
    buffer.withUnsafeBytes { source in
      destination.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[used..<used + count]))
    }
    used += count
    return count
  }
}

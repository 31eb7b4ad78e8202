// CellarCore: a remote archive read on from an offset, in growing windows.
import ArchiveKit

/// The bytes of a remote archive from an offset on, fetched in windows that double from 64 KiB
/// to 8 MiB: a small member costs one small request, a whole frame a handful.
final class RemoteRangeSource: ArchiveSource {
  private static let firstWindow = 64 << 10
  private static let largestWindow = 8 << 20

  private let bytes: RemoteArchiveBytes
  private var offset: Int64
  private var window = RemoteRangeSource.firstWindow
  private var buffer: [UInt8] = []
  private var position = 0

  init(bytes: RemoteArchiveBytes, offset: Int64) {
    self.bytes = bytes
    self.offset = offset
  }

  func read(into destination: UnsafeMutableRawBufferPointer) throws -> Int {
    if position == buffer.count {
      buffer = try bytes.read(at: offset, count: window)
      position = 0
      offset += Int64(buffer.count)
      window = min(window * 2, Self.largestWindow)
      if buffer.isEmpty { return 0 }
    }
    let count = min(destination.count, buffer.count - position)
    buffer.withUnsafeBytes { source in
      destination.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[position..<position + count]))
    }
    position += count
    return count
  }
}

// ArchiveKit: an archive file read from a given offset, counting what is read.
import DescriptorIO

#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Musl)
  internal import Musl
#elseif canImport(Darwin)
  internal import Darwin
#endif

/// Reads an open file from `offset` on with `pread`, adding every byte read to `counter`, so
/// that a caller can tell how much of an archive a partial read took.
public final class FileRangeSource: ArchiveSource {
  /// Bytes read, shared by the sources of one archive.
  public final class Counter {
    /// The total.
    public private(set) var bytes: Int64 = 0
    /// A counter at zero.
    public init() {}
    /// Adds `count` bytes read.
    public func add(_ count: Int) { bytes += Int64(count) }
  }

  private let descriptor: Int32
  private var offset: Int64
  private let counter: Counter?
  /// What keeps `descriptor` open, held as long as the source is.
  private let owner: AnyObject?

  /// A source over `descriptor` starting at `offset`; `owner`, which closes the descriptor when
  /// it goes, is kept alive by the source.
  public init(descriptor: Int32, offset: Int64, counter: Counter? = nil, owner: AnyObject? = nil) {
    self.descriptor = descriptor
    self.offset = offset
    self.counter = counter
    self.owner = owner
  }

  /// The next bytes from the file.
  public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    let count: Int
    do {
      count = try DescriptorIO.read(descriptor, into: buffer, at: offset)
    } catch {
      throw ArchiveError.source(message: "\(error)")
    }
    offset += Int64(count)
    counter?.add(count)
    return count
  }
}

// DescriptorIO: reads and writes on file descriptors that retry what POSIX says to retry
// (EINTR, short counts), so that no module hand-writes those loops again.
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Whole reads and writes on a file descriptor.
public enum DescriptorIO {
  /// Writes every byte of `bytes`, resuming after a signal or a short write.
  public static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) throws(DescriptorError) {
    var offset = 0
    while offset < bytes.count {
      let count = systemWrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
      if count < 0 {
        if errno == EINTR { continue }
        throw DescriptorError(code: errno)
      }
      offset += count
    }
  }

  /// Reads what is available into `buffer` (at `offset` when given, without moving the file
  /// position); 0 means the end of the file.
  public static func read(
    _ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64? = nil
  ) throws(DescriptorError) -> Int {
    while true {
      let count =
        if let offset {
          pread(descriptor, buffer.baseAddress, buffer.count, off_t(offset))
        } else {
          systemRead(descriptor, buffer.baseAddress, buffer.count)
        }
      if count >= 0 { return count }
      if errno != EINTR { throw DescriptorError(code: errno) }
    }
  }

  /// Fills `buffer` from `offset` on; fewer bytes only where the file ends.
  public static func readFully(
    _ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64
  ) throws(DescriptorError) -> Int {
    var done = 0
    while done < buffer.count {
      let count = try read(
        descriptor, into: UnsafeMutableRawBufferPointer(rebasing: buffer[done...]), at: offset + Int64(done))
      if count == 0 { break }
      done += count
    }
    return done
  }
}

/// A failed read or write: the `errno` it gave.
public struct DescriptorError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The `errno` value.
  public let code: Int32

  /// Whether the disk (or quota) is full.
  public var isDiskFull: Bool { code == ENOSPC || code == EDQUOT }

  /// The system's text for the code; "the disk is full" when it is.
  public var description: String {
    isDiskFull ? "the disk is full" : String(cString: strerror(code))
  }
}

private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
  write(descriptor, bytes, count)
}

private func systemRead(_ descriptor: Int32, _ bytes: UnsafeMutableRawPointer?, _ count: Int) -> Int {
  read(descriptor, bytes, count)
}

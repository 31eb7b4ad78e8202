// ArchiveKit: hands libarchive's output to a caller's ArchiveSink.
internal import CArchive

/// The client data that `archive_write_open2` passes back to the C callbacks.
///
/// The writer owns it and frees the libarchive handle before releasing it, so libarchive never
/// holds a dangling pointer; the callbacks therefore take it unretained.
final class SinkBridge {
  /// `archive_write_callback`, spelled as a C function pointer (the imported typedef is not one).
  typealias WriteCallback =
    @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, UnsafeRawPointer?, Int) -> Int
  /// `archive_close_callback`, spelled as a C function pointer.
  typealias CloseCallback = @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?) -> Int32

  let sink: any ArchiveSink
  /// The first error the sink threw.
  ///
  /// libarchive only learns "the callback failed" and has no message of its own, so the writer
  /// reports this one instead.
  private(set) var error: ArchiveError?

  init(sink: any ArchiveSink) {
    self.sink = sink
  }

  /// The pointer to hand to libarchive.
  var context: UnsafeMutableRawPointer {
    Unmanaged.passUnretained(self).toOpaque()
  }

  private func record(_ error: any Error) {
    if self.error == nil { self.error = .sink(message: ArchiveError.message(of: error)) }
  }

  /// Passes one block to the sink; -1 tells libarchive that the output failed.
  static let write: WriteCallback = { _, context, buffer, length in
    guard let context else { return -1 }
    let bridge = Unmanaged<SinkBridge>.fromOpaque(context).takeUnretainedValue()
    do {
      try bridge.sink.write(UnsafeRawBufferPointer(start: buffer, count: length))
      return length
    } catch {
      bridge.record(error)
      return -1
    }
  }

  /// Closes the sink; runs once, from `archive_write_close`, after the last block.
  static let close: CloseCallback = { _, context in
    guard let context else { return ARCHIVE_FATAL }
    let bridge = Unmanaged<SinkBridge>.fromOpaque(context).takeUnretainedValue()
    do {
      try bridge.sink.close()
      return ARCHIVE_OK
    } catch {
      bridge.record(error)
      return ARCHIVE_FATAL
    }
  }
}

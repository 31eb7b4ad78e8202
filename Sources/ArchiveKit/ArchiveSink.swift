// ArchiveKit: where a writer's bytes go when they do not go to a file descriptor.

/// A destination for archive bytes, such as an upload stream or a hashing pipe.
///
/// `ArchiveWriter` calls it synchronously, on the thread that called the writer, with blocks of
/// about 10 KiB. An error thrown here stops the archive: the writer throws
/// `ArchiveError.sink(message:)` with this error's description (its `errorDescription` when it
/// is a `LocalizedError`) and becomes unusable.
public protocol ArchiveSink: AnyObject {
  /// Consumes all of `bytes`, or throws.
  ///
  /// The buffer is only valid during the call: copy what you keep.
  func write(_ bytes: UnsafeRawBufferPointer) throws

  /// Called once by `ArchiveWriter.finish()` after the last bytes (the archive's trailer).
  ///
  /// It is not called when a writer is abandoned or fails: a sink that holds a resource should
  /// also release it on its own. The default does nothing.
  func close() throws
}

extension ArchiveSink {
  /// Does nothing.
  public func close() throws {}
}

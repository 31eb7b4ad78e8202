// ArchiveKit: the sink the frames of a FramedCompressor share.

/// Counts what the frames write and passes it on; a frame's end does not close the file.
final class FrameOutput: ArchiveSink {
  let downstream: any ArchiveSink
  private(set) var count: Int64 = 0

  init(downstream: any ArchiveSink) {
    self.downstream = downstream
  }

  func write(_ bytes: UnsafeRawBufferPointer) throws {
    try downstream.write(bytes)
    count += Int64(bytes.count)
  }

  func close() throws {}
}

// ArchiveKit: a compressed tar written as independent frames (gzip members, zstd frames, xz
// streams), each starting at a member where it can, so that a reader can start decompressing near
// any member. Concatenated gzip members, zstd frames and xz streams are one valid stream to every
// reader.

/// Compresses a tar stream as a series of frames of about `frameSize` uncompressed bytes.
///
/// A frame ends at the first member boundary (marked in `boundaries` by the thread that formats
/// the tar) after `frameSize` bytes, or, inside a member larger than that, at `maximumFrameSize`;
/// and always where the formatting thread asked for a cut (`FrameBoundaries.cut(at:)`).
/// tar.zst ends with the zstd seekable format's seek table. After `close()`, `frames` lists
/// every frame's offsets.
///
/// Use it from one thread at a time (the boundaries may be marked from another).
public final class FramedCompressor: ArchiveSink {
  /// Where the formatting thread marks member starts.
  public let boundaries = FrameBoundaries()
  /// The frames written so far; complete after `close()`.
  public private(set) var frames: [ArchiveFrame] = []

  private let format: ArchiveFormat
  private let level: Int?
  private let threads: Int?
  private let frameSize: Int64
  private let maximumFrameSize: Int64
  private let output: FrameOutput
  private var frame: ArchiveCompressor?
  /// Uncompressed bytes consumed.
  private var position: Int64 = 0
  /// Each ended frame's compressed and uncompressed size, for the seek table.
  private var sizes: [(compressed: Int64, uncompressed: Int64)] = []

  /// A compressor for `format` (`.tarGzip`, `.tarZstd` or `.tarXz`) writing frames to `sink`.
  ///
  /// - Parameters:
  ///   - frameSize: Uncompressed bytes after which a frame ends at the next member boundary
  ///     (default: `defaultFrameSize(for:)`).
  ///   - maximumFrameSize: Uncompressed bytes after which a frame ends even inside a member.
  /// - Throws: `ArchiveError.invalidLevel` or `.library`, as `ArchiveCompressor` does.
  public init(
    format: ArchiveFormat, level: Int? = nil, threads: Int? = nil, frameSize: Int64? = nil,
    maximumFrameSize: Int64 = 64 << 20, sink: some ArchiveSink
  ) throws {
    precondition(format.isTar && format != .tar, "frames are gzip members, zstd frames or xz streams")
    let frameSize = frameSize ?? Self.defaultFrameSize(for: format)
    precondition(
      frameSize > 0 && frameSize <= maximumFrameSize && maximumFrameSize < ZstdSeekTable.maximumFrameSize / 2)
    self.format = format
    self.level = level
    self.threads = threads
    self.frameSize = frameSize
    self.maximumFrameSize = maximumFrameSize
    output = FrameOutput(downstream: sink)
    // Set up the first frame now, so that a bad level fails before any byte.
    try startFrame()
  }

  /// The frame size that costs little compression: 4 MiB, where gzip's window is 32 KiB and
  /// zstd's 2 MiB at its default level (+1.1% on 76 MB of text); 16 MiB for xz, whose
  /// dictionary is 4 MiB at cellar's level 3 (+4.9% with 4 MiB frames, +1.7% with 16).
  public static func defaultFrameSize(for format: ArchiveFormat) -> Int64 {
    format == .tarXz ? 16 << 20 : 4 << 20
  }

  /// Compresses `bytes`, ending and starting frames where they are due.
  public func write(_ bytes: UnsafeRawBufferPointer) throws {
    var rest = bytes
    while !rest.isEmpty {
      let compressor = try currentFrame()
      // A frame just started ends at least `frameSize` on, so there is room for a byte.
      let room = nextCut() - position
      if room >= Int64(rest.count) {
        try compressor.write(rest)
        position += Int64(rest.count)
        return
      }
      try compressor.write(UnsafeRawBufferPointer(rebasing: rest[..<Int(room)]))
      position += room
      rest = UnsafeRawBufferPointer(rebasing: rest[Int(room)...])
      try endFrame()
    }
  }

  /// Ends the last frame, appends the seek table (tar.zst) and closes the sink.
  public func close() throws {
    // The frame `init` started makes an empty stream one empty frame: still a valid file.
    try endFrame()
    if format == .tarZstd {
      try ZstdSeekTable.encode(sizes).withUnsafeBytes { try output.downstream.write($0) }
    }
    try output.downstream.close()
  }

  /// Where the current frame ends: the first boundary past `frameSize`, or a forced cut, capped.
  private func nextCut() -> Int64 {
    let start = frames.last?.uncompressedOffset ?? 0
    var cut = start + maximumFrameSize
    if let boundary = boundaries.first(atOrAfter: max(start + frameSize, position)) { cut = min(cut, boundary) }
    if let forced = boundaries.forcedCut(after: start), forced >= position { cut = min(cut, forced) }
    return cut
  }

  /// The frame being written, started here when the last one has ended.
  private func currentFrame() throws -> ArchiveCompressor {
    if let frame { return frame }
    return try startFrame()
  }

  @discardableResult
  private func startFrame() throws -> ArchiveCompressor {
    let start = ArchiveFrame(compressedOffset: output.count, uncompressedOffset: position)
    let compressor = try ArchiveCompressor(format: format, level: level, threads: threads, sink: output)
    frames.append(start)
    frame = compressor
    return compressor
  }

  private func endFrame() throws {
    guard let frame else { return }
    try frame.close()
    self.frame = nil
    let start = frames[frames.count - 1]
    sizes.append((output.count - start.compressedOffset, position - start.uncompressedOffset))
  }
}

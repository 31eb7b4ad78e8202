// ArchiveKit: one independently decompressible piece of a compressed archive.

/// A compressed frame (a gzip member, a zstd frame): where it starts in the archive file and in
/// the uncompressed tar stream.
///
/// A reader can start decompressing at any frame.
public struct ArchiveFrame: Sendable, Equatable, Codable {
  /// Its first byte in the archive file.
  public var compressedOffset: Int64
  /// The position in the uncompressed stream of its first decompressed byte.
  public var uncompressedOffset: Int64

  /// A frame starting at these offsets.
  public init(compressedOffset: Int64, uncompressedOffset: Int64) {
    self.compressedOffset = compressedOffset
    self.uncompressedOffset = uncompressedOffset
  }

  /// Encoded as `[compressedOffset, uncompressedOffset]`: a sidecar lists one per few MiB.
  public init(from decoder: any Decoder) throws {
    var container = try decoder.unkeyedContainer()
    compressedOffset = try container.decode(Int64.self)
    uncompressedOffset = try container.decode(Int64.self)
    guard compressedOffset >= 0, uncompressedOffset >= 0 else {
      throw DecodingError.dataCorruptedError(in: container, debugDescription: "a negative frame offset")
    }
  }

  /// Writes `[compressedOffset, uncompressedOffset]`.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.unkeyedContainer()
    try container.encode(compressedOffset)
    try container.encode(uncompressedOffset)
  }

  /// The last of `frames` (sorted by offset) that starts at or before `position` of the
  /// uncompressed stream, or nil when none does.
  public static func containing(_ position: Int64, in frames: [ArchiveFrame]) -> ArchiveFrame? {
    var low = 0
    var high = frames.count
    while low < high {
      let middle = (low + high) / 2
      if frames[middle].uncompressedOffset <= position { low = middle + 1 } else { high = middle }
    }
    return low == 0 ? nil : frames[low - 1]
  }
}

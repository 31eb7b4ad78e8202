// ArchiveKit: the bytes every frame of a compressed tar starts with, for a reader that checks it
// was pointed at one.

extension ArchiveFormat {
  /// The magic number a frame of this format starts with (a gzip member, a zstd frame, an xz
  /// stream); nil for the formats that are not compressed in frames.
  public var frameMagic: [UInt8]? {
    switch self {
    case .tarGzip: [0x1F, 0x8B]
    case .tarZstd: [0x28, 0xB5, 0x2F, 0xFD]
    case .tarXz: [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]
    case .tar, .zip: nil
    }
  }
}

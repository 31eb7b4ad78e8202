// HashKit: CRC-32 over zlib, the checksum S3 clients send as x-amz-checksum-crc32.
internal import CZlib
import Foundation

/// An incremental CRC-32 (the ISO-HDLC/zlib polynomial) over zlib.
///
/// A value type: zlib's `crc32` keeps no state besides the running value, so copies are
/// independent. Wraps `crc32`.
public struct CRC32: Hashable, Sendable {
  /// The checksum of everything fed so far (0 for no input).
  public private(set) var value: UInt32 = 0

  /// Starts a checksum over empty input.
  public init() {}

  /// Feeds bytes into the checksum.
  ///
  /// Wraps `crc32` (through `CZlib_crc32_update`).
  public mutating func update(_ bytes: UnsafeRawBufferPointer) {
    guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
    value = UInt32(truncatingIfNeeded: CZlib_crc32_update(UInt(value), base, bytes.count))
  }

  /// Feeds the bytes of an array into the checksum.
  public mutating func update(_ bytes: [UInt8]) {
    bytes.withUnsafeBytes { update($0) }
  }

  /// Feeds the UTF-8 encoding of `string` into the checksum.
  public mutating func update(_ string: String) {
    var string = string
    string.withUTF8 { update(UnsafeRawBufferPointer($0)) }
  }

  /// The checksum as four big-endian bytes, the order S3 checksum headers use.
  public var bigEndianBytes: [UInt8] {
    [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
  }

  /// The value of an `x-amz-checksum-crc32` header: Base64 of the big-endian bytes.
  public var base64: String {
    Data(bigEndianBytes).base64EncodedString()
  }

  /// Returns the checksum of `bytes` in one call.
  public static func checksum(_ bytes: [UInt8]) -> CRC32 {
    var crc = CRC32()
    crc.update(bytes)
    return crc
  }

  /// Returns the checksum of the UTF-8 encoding of `string` in one call.
  public static func checksum(_ string: String) -> CRC32 {
    var crc = CRC32()
    crc.update(string)
    return crc
  }
}

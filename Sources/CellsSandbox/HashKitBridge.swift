// CellsSandbox: small conveniences over HashKit.
import Foundation
import HashKit

/// One-shot digests of small in-memory data (markers, seeds).
enum HashKitBridge {
  static func md5Hex(_ data: Data) throws -> String {
    try MD5.hash(Array(data)).hex
  }

  static func cellsHashHex(_ data: Data) throws -> String {
    try CellsContentHash.hash(Array(data)).hex
  }
}

// Test support: feeds a hash in uneven chunks, so block and buffer boundaries fall anywhere.
@testable import HashKit

/// Chunk sizes that are odd, prime or just off powers of two, cycled through while feeding.
let oddChunkSizes = [1, 3, 7, 63, 65, 127, 4093, 65_537, 999_983, 5, 1_048_573]

/// Feeds `bytes` to `hash` in chunks cycling through `sizes`.
func feed(_ bytes: [UInt8], to hash: some StreamingHash, chunkSizes sizes: [Int] = oddChunkSizes)
  throws
{
  try bytes.withUnsafeBytes { all in
    var offset = 0
    var turn = 0
    while offset < all.count {
      let count = min(sizes[turn % sizes.count], all.count - offset)
      try hash.update(UnsafeRawBufferPointer(rebasing: all[offset..<offset + count]))
      offset += count
      turn += 1
    }
  }
}

/// Deterministic content: byte i is i mod 251 (a prime, so the pattern never lines up with block
/// or chunk boundaries).
///
/// Python builds the same bytes as `(bytes(range(251)) * k)[:n]`.
func patternBytes(count: Int) -> [UInt8] {
  let period = (0..<251).map { UInt8($0) }
  var bytes: [UInt8] = []
  bytes.reserveCapacity(count + 251)
  while bytes.count < count { bytes.append(contentsOf: period) }
  bytes.removeLast(bytes.count - count)
  return bytes
}

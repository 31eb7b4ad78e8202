// CellarCore: small fixed 64-bit hashes, for names and keys (never for security).

/// FNV-1a and SplitMix64's finalizer, written once.
///
/// Their values are part of what cellar writes or chooses (a shard's folders, a partial file's
/// name): they must never change.
enum Hash64 {
  /// FNV-1a of `bytes`.
  static func fnv1a(_ bytes: some Sequence<UInt8>) -> UInt64 {
    bytes.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
  }

  /// SplitMix64's finalizer: every bit of `value` spread over the result (low bits included).
  static func mix(_ value: UInt64) -> UInt64 {
    var value = value
    value = (value ^ (value >> 30)) &* 0xbf58_476d_1ce4_e5b9
    value = (value ^ (value >> 27)) &* 0x94d0_49bb_1331_11eb
    return value ^ (value >> 31)
  }
}

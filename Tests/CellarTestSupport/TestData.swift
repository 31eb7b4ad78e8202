// CellarTestSupport: the same pseudo-random bytes on every run, for test contents.

/// Deterministic pseudo-random bytes (SplitMix64), the same on every run.
public enum TestData {
  /// SplitMix64.
  public struct Generator {
    /// The state; the seed to start with.
    public var state: UInt64

    /// A generator started at `seed`.
    public init(state seed: UInt64) {
      state = seed
    }

    /// The next 64 bits.
    public mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }

    /// Fills `buffer` with the next bytes.
    public mutating func fill(_ buffer: UnsafeMutableRawBufferPointer) {
      let words = buffer.count / 8
      let typed = buffer.baseAddress!.bindMemory(to: UInt64.self, capacity: words)
      for index in 0..<words { typed[index] = next() }
      var tail = next()
      for index in (words * 8)..<buffer.count {
        buffer[index] = UInt8(truncatingIfNeeded: tail)
        tail >>= 8
      }
    }
  }

  /// `count` bytes from a generator started at `seed`.
  public static func bytes(count: Int, seed: UInt64) -> [UInt8] {
    var generator = Generator(state: seed)
    var result = [UInt8](repeating: 0, count: count)
    result.withUnsafeMutableBytes { generator.fill($0) }
    return result
  }
}

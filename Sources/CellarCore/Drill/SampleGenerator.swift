// CellarCore: the random numbers a drill's sample is drawn with.

/// SplitMix64 when seeded (the same sample for the same seed), the system's generator otherwise.
struct SampleGenerator: RandomNumberGenerator {
  private var state: UInt64?
  private var system = SystemRandomNumberGenerator()

  init(seed: UInt64?) { state = seed }

  mutating func next() -> UInt64 {
    guard var value = state else { return system.next() }
    value &+= 0x9e37_79b9_7f4a_7c15
    state = value
    value = (value ^ (value >> 30)) &* 0xbf58_476d_1ce4_e5b9
    value = (value ^ (value >> 27)) &* 0x94d0_49bb_1331_11eb
    return value ^ (value >> 31)
  }
}

// CellarCore: the random numbers a drill's sample is drawn with.

/// SplitMix64 when seeded (the same sample for the same seed), the system's generator otherwise.
struct SampleGenerator: RandomNumberGenerator {
  private var state: UInt64?
  private var system = SystemRandomNumberGenerator()

  init(seed: UInt64?) { state = seed }

  mutating func next() -> UInt64 {
    guard let current = state else { return system.next() }
    let next = current &+ 0x9e37_79b9_7f4a_7c15
    state = next
    return Hash64.mix(next)
  }
}

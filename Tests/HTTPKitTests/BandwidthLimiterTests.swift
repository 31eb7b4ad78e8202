import Testing

@testable import HTTPKit

@Suite("BandwidthLimiter: one rate shared by every transfer")
struct BandwidthLimiterTests {
  private static let mebibyte = 1 << 20

  @Test("32 transfers reserving at once share the rate: the schedule ends when the bytes fit the rate")
  func sharedByParallelTransfers() {
    let limiter = BandwidthLimiter(bytesPerSecond: Int64(4 * Self.mebibyte), burst: .zero)
    let now = ContinuousClock.now
    // 32 transfers, a quarter MiB each, at the same instant: 8 MiB at 4 MiB/s is 2 s of schedule.
    let waits = (0..<32).map { _ in limiter.reserve(Self.mebibyte / 4, at: now) }
    #expect(waits.first == .milliseconds(62.5))
    #expect(waits.last == .seconds(2))
    #expect(zip(waits, waits.dropFirst()).allSatisfy { $0 < $1 }, "each waits for the ones before it")
  }

  @Test("one transfer alone gets the whole rate, not a share")
  func aloneGetsEverything() {
    let limiter = BandwidthLimiter(bytesPerSecond: Int64(8 * Self.mebibyte), burst: .zero)
    var now = ContinuousClock.now
    for _ in 0..<80 {
      let wait = limiter.reserve(Self.mebibyte / 8, at: now)
      #expect(wait == .milliseconds(15.625), "an eighth of a MiB at 8 MiB/s: the whole rate")
      now += wait
    }
  }

  @Test("bytes run ahead of the rate by the burst at most, idle time or not")
  func burstCredit() {
    let limiter = BandwidthLimiter(bytesPerSecond: Int64(Self.mebibyte), burst: .milliseconds(250))
    let start = ContinuousClock.now
    #expect(limiter.reserve(Self.mebibyte / 4, at: start) == .zero, "the first 250 ms worth goes at once")
    #expect(limiter.reserve(Self.mebibyte / 4, at: start) == .milliseconds(250))
    // Ten seconds idle: still 250 ms ahead at most.
    let later = start + .seconds(10)
    #expect(limiter.reserve(Self.mebibyte / 4, at: later) == .zero)
    #expect(limiter.reserve(Self.mebibyte / 4, at: later) == .milliseconds(250))
  }
}

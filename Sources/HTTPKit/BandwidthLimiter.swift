// HTTPKit: one rate shared by every transfer that holds the same limiter (`--bwlimit`).
import Synchronization

/// Paces bytes to `bytesPerSecond` across all the transfers that share it.
///
/// curl's own limits (`CURLOPT_MAX_RECV_SPEED_LARGE`) pace each transfer alone and cannot be
/// changed during a transfer, so a run with 32 transfers would get RATE/32 each even when one
/// large file is all that is left. Instead each chunk reserves its time on one shared schedule
/// (a virtual-time token bucket): a reader that waits for its reservation fills its response
/// buffer, and curl pauses that transfer; a sender waits before it hands its chunk over.
/// The bytes may run ahead of the schedule by `burst` at most; idle time is not saved up.
public final class BandwidthLimiter: Sendable {
  /// The shared rate.
  public let bytesPerSecond: Int64
  private let burst: Duration
  /// When the bytes reserved so far will have gone out at the rate.
  private let schedule = Mutex<ContinuousClock.Instant?>(nil)

  /// A limiter of `bytesPerSecond` (at least 1), letting bytes run `burst` ahead of it.
  public init(bytesPerSecond: Int64, burst: Duration = .milliseconds(250)) {
    self.bytesPerSecond = max(1, bytesPerSecond)
    self.burst = burst
  }

  /// Waits until `bytes` more fit in the rate.
  public func pace(_ bytes: Int) async throws {
    let wait = reserve(bytes, at: .now)
    if wait > .zero { try await Task.sleep(for: wait) }
  }

  /// Books `bytes` on the schedule at `now` and returns how long to wait before sending them.
  func reserve(_ bytes: Int, at now: ContinuousClock.Instant) -> Duration {
    let cost = Duration.seconds(Double(bytes) / Double(bytesPerSecond))
    return schedule.withLock { schedule in
      let start = max(schedule ?? now, now)
      schedule = start + cost
      return max(.zero, start + cost - now - burst)
    }
  }
}

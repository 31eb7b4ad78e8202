import Synchronization
import Testing

@testable import HTTPKit

@Suite("RetryPolicy")
struct RetryPolicyTests {
  @Test("delays stay under the exponential bound and the cap")
  func delays() {
    let policy = RetryPolicy(baseDelay: .milliseconds(100), maxDelay: .seconds(1))
    for retry in 1...10 {
      let bound = min(Duration.milliseconds(100) * (1 << (retry - 1)), .seconds(1))
      for _ in 0..<20 { #expect(policy.delay(beforeRetry: retry) <= bound) }
    }
  }

  @Test("it announces each retry and gives up after maxAttempts")
  func attempts() {
    let events = Mutex<[RetryPolicy.Event]>([])
    let policy = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(1)) { event in
      events.withLock { $0.append(event) }
    }
    let start = ContinuousClock.now
    #expect(policy.nextDelay(after: 1, since: start, operation: "GetObject", reason: "HTTP 503") != nil)
    #expect(policy.nextDelay(after: 2, since: start, operation: "GetObject", reason: "HTTP 503") != nil)
    #expect(policy.nextDelay(after: 3, since: start, operation: "GetObject", reason: "HTTP 503") == nil)
    #expect(events.withLock { $0.map(\.attempt) } == [1, 2])
    #expect(events.withLock { $0.first?.operation } == "GetObject")
  }

  @Test("it gives up once the total time is spent")
  func totalTime() {
    let policy = RetryPolicy(maxAttempts: 100, maxTotal: .milliseconds(10))
    let longAgo = ContinuousClock.now - .seconds(1)
    #expect(policy.nextDelay(after: 1, since: longAgo, operation: "x", reason: "y") == nil)
    #expect(RetryPolicy.never.nextDelay(after: 1, since: .now, operation: "x", reason: "y") == nil)
  }
}

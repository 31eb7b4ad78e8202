import Testing

@testable import CellarCore

@Suite("Bounded queue and byte budget between pipeline stages")
struct PipelineQueueTests {
  @Test("a queue keeps order, makes the producer wait when full, and ends cleanly")
  func queueOrder() async throws {
    let queue = BoundedQueue<Int>(capacity: 3)
    let producer = Task {
      for value in 0..<100 { try await queue.send(value) }
      await queue.finish()
    }
    var received: [Int] = []
    while let value = try await queue.next() { received.append(value) }
    try await producer.value
    #expect(received == Array(0..<100))
  }

  @Test("a producer's error reaches the consumer after the queued elements")
  func queueError() async throws {
    struct Boom: Error {}
    let queue = BoundedQueue<Int>(capacity: 10)
    try await queue.send(1)
    await queue.finish(throwing: Boom())
    #expect(try await queue.next() == 1)
    await #expect(throws: Boom.self) { _ = try await queue.next() }
  }

  @Test("closing the queue releases a producer waiting for room")
  func queueClose() async throws {
    let queue = BoundedQueue<Int>(capacity: 1)
    try await queue.send(1)
    let producer = Task { try await queue.send(2) }
    try await Task.sleep(for: .milliseconds(50))
    #expect(await queue.close() == [1])
    await #expect(throws: CancellationError.self) { try await producer.value }
  }

  @Test("a budget makes reservations wait until bytes are given back, in order")
  func budget() async throws {
    let budget = ByteBudget(limit: 100)
    await budget.reserve(60)
    let second = Task { await budget.reserve(60) }
    try await Task.sleep(for: .milliseconds(50))
    await budget.release(60)
    await second.value
    // One reservation larger than the whole budget still goes through once alone.
    let large = Task { await budget.reserve(500) }
    await budget.release(60)
    await large.value
  }

  @Test("a closed budget lets every reservation through")
  func budgetClose() async throws {
    let budget = ByteBudget(limit: 10)
    await budget.reserve(10)
    let waiting = Task { await budget.reserve(10) }
    try await Task.sleep(for: .milliseconds(50))
    await budget.close()
    await waiting.value
  }
}

// CellarCore: the bounded channel between two pipeline stages: a fast producer waits.

/// A first-in first-out queue of at most `capacity` elements between one producer and one
/// consumer; `send` waits while it is full, `next` while it is empty.
///
/// A consumer that gives up calls `close()`: a waiting or later `send` then throws
/// `CancellationError`, so the producer never waits forever.
actor BoundedQueue<Element: Sendable> {
  private var elements: [Element] = []
  private var head = 0
  private let capacity: Int
  private var finished: (any Error)??
  private var waitingProducer: CheckedContinuation<Void, Never>?
  private var waitingConsumer: CheckedContinuation<Void, Never>?
  private var closed = false

  /// A queue holding at most `capacity` elements.
  init(capacity: Int) {
    self.capacity = max(1, capacity)
  }

  /// Appends `element`, waiting for room.
  func send(_ element: Element) async throws {
    while elements.count - head >= capacity && !closed {
      await withCheckedContinuation { waitingProducer = $0 }
    }
    if closed { throw CancellationError() }
    elements.append(element)
    waitingConsumer?.resume()
    waitingConsumer = nil
  }

  /// Ends the queue: `next` returns nil once drained, or throws `error` if one is given.
  func finish(throwing error: (any Error)? = nil) {
    finished = .some(error)
    waitingConsumer?.resume()
    waitingConsumer = nil
  }

  /// Stops the producer (its `send` throws) and returns what was queued and not taken.
  func close() -> [Element] {
    closed = true
    waitingProducer?.resume()
    waitingProducer = nil
    defer { elements = [] }
    return Array(elements[head...])
  }

  /// The next element, or nil when the producer has finished and everything was taken.
  func next() async throws -> Element? {
    while head == elements.count {
      if let finished {
        if let error = finished { throw error }
        return nil
      }
      await withCheckedContinuation { waitingConsumer = $0 }
    }
    let element = elements[head]
    head += 1
    if head >= 1024 && head * 2 >= elements.count {
      elements.removeFirst(head)
      head = 0
    }
    waitingProducer?.resume()
    waitingProducer = nil
    return element
  }
}

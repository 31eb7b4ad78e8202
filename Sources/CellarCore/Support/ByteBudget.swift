// CellarCore: the memory a pipeline may spend on data read ahead of its consumer.

/// A count of bytes that producers reserve before reading ahead and consumers give back.
///
/// A reservation waits while the budget is spent; one larger than the whole budget is granted
/// when nothing else is reserved, so it can never wait forever. After `close()` (the consumer
/// gave up) reservations no longer wait.
actor ByteBudget {
  private let limit: Int64
  private var reserved: Int64 = 0
  private var waiters: [(bytes: Int64, continuation: CheckedContinuation<Void, Never>)] = []
  private var closed = false

  /// A budget of `limit` bytes.
  init(limit: Int) {
    self.limit = Int64(max(1, limit))
  }

  /// Reserves `bytes`, waiting until they fit.
  func reserve(_ bytes: Int64) async {
    if waiters.isEmpty && fits(bytes) {
      reserved += bytes
      return
    }
    await withCheckedContinuation { waiters.append((bytes, $0)) }
  }

  /// Gives `bytes` back and wakes the reservations that now fit, in order.
  func release(_ bytes: Int64) {
    reserved -= bytes
    while let first = waiters.first, fits(first.bytes) {
      waiters.removeFirst()
      reserved += first.bytes
      first.continuation.resume()
    }
  }

  /// Lets every waiting and future reservation through.
  func close() {
    closed = true
    for waiter in waiters { waiter.continuation.resume() }
    waiters = []
  }

  private func fits(_ bytes: Int64) -> Bool { closed || reserved == 0 || reserved + bytes <= limit }
}

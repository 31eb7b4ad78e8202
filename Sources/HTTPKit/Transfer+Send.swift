// The request-body side: curl's read callback (loop thread) and the task that pulls chunks from
// the caller's source into a bounded buffer.
internal import CCurl

extension Transfer {
  /// Fills curl's upload buffer; pauses the upload when the source has not caught up yet.
  func sendBody(into buffer: UnsafeMutableRawBufferPointer) -> Int {
    var spaceWaiter: CheckedContinuation<Void, any Error>?
    let result: Int = state.withLock { state in
      if state.cancelled || state.sendFailure != nil { return CCurl_READFUNC_ABORT }
      if !state.toSend.isEmpty {
        let count = state.toSend.consumeFront(into: buffer)
        if state.toSend.byteCount < requestHighWater {
          spaceWaiter = state.sendSpaceWaiter
          state.sendSpaceWaiter = nil
        }
        return count
      }
      if state.sendSourceEnded { return 0 }
      state.sendPaused = true
      return CCurl_READFUNC_PAUSE
    }
    spaceWaiter?.resume()
    return result
  }

  /// Pulls the caller's chunks while the buffer has room, checking the announced length.
  func pumpRequestBody(next: @Sendable () async throws -> [UInt8]?, length: Int64) async {
    var produced: Int64 = 0
    do {
      while true {
        try await waitForSendSpace()
        guard let chunk = try await next() else { break }
        try await sendLimiter?.pace(chunk.count)
        produced += Int64(chunk.count)
        guard produced <= length else { break }
        enqueueForSending(chunk, ended: false)
      }
      guard produced == length else {
        failSending(.requestBodyLength(url: url, expected: length, actual: produced))
        return
      }
      enqueueForSending([], ended: true)
    } catch is CancellationError {
      // The transfer is over or cancelled; nothing is waiting on the body any more.
    } catch {
      failSending(.requestBodySource(url: url, message: String(describing: error)))
    }
  }

  private func waitForSendSpace() async throws {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
      enum Step { case go, stop, wait }
      let step: Step = state.withLock { state in
        if state.outcome != nil || state.cancelled { return .stop }
        if state.toSend.byteCount < requestHighWater { return .go }
        state.sendSpaceWaiter = continuation
        return .wait
      }
      switch step {
      case .go: continuation.resume()
      case .stop: continuation.resume(throwing: CancellationError())
      case .wait: break
      }
    }
  }

  private func enqueueForSending(_ chunk: [UInt8], ended: Bool) {
    let resume = state.withLock { state in
      state.toSend.append(chunk)
      if ended { state.sendSourceEnded = true }
      defer { state.sendPaused = false }
      return state.sendPaused
    }
    if resume { loop.submit(.updatePause(self)) }
  }

  /// Records why the body failed; the read callback then aborts the transfer with that error.
  private func failSending(_ error: HTTPError) {
    let resume = state.withLock { state in
      state.sendFailure = error
      defer { state.sendPaused = false }
      return state.sendPaused
    }
    if resume { loop.submit(.updatePause(self)) }
  }
}

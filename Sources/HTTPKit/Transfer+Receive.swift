// The response side: curl's header and body callbacks (loop thread) and the body reader (any task).
internal import CCurl

extension Transfer {
  // MARK: - curl callbacks (loop thread)

  /// Parses one header line; delivers the head at the blank line that ends a final (non-1xx)
  /// response, before any body byte arrives.
  func receiveHeaderLine(_ bytes: UnsafeRawBufferPointer) -> Int {
    var line = String(decoding: bytes, as: UTF8.self)
    while let last = line.last, last.isNewline { line.removeLast() }
    if line.hasPrefix("HTTP/") {
      let parts = line.split(separator: " ", maxSplits: 2)
      parsedStatus = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
      parsedHeaders = HTTPHeaders()
    } else if line.isEmpty {
      if parsedStatus >= 200 { deliverHead() }
    } else if let colon = line.firstIndex(of: ":") {
      let name = String(line[..<colon]).trimmingSpaces()
      let value = String(line[line.index(after: colon)...]).trimmingSpaces()
      parsedHeaders.add(name, value)
    }
    return bytes.count
  }

  /// Takes a body chunk unless the reader is too far behind, in which case curl keeps the chunk
  /// and the transfer pauses until `nextChunk` drains the buffer.
  func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
    deliverHead()
    var waiter: CheckedContinuation<[UInt8]?, any Error>?
    let result: Int = state.withLock { state in
      if state.cancelled { return 0 }  // makes curl stop with CURLE_WRITE_ERROR
      if let bodyWaiter = state.bodyWaiter {
        state.bodyWaiter = nil
        waiter = bodyWaiter
        return bytes.count
      }
      if state.received.byteCount >= responseHighWater {
        state.receivePaused = true
        return CCurl_WRITEFUNC_PAUSE
      }
      state.received.append(Array(bytes))
      state.peakReceivedBytes = max(state.peakReceivedBytes, state.received.byteCount)
      return bytes.count
    }
    waiter?.resume(returning: Array(bytes))
    return result
  }

  private func deliverHead() {
    let waiter: CheckedContinuation<HTTPResponse, any Error>? = state.withLock { state in
      guard !state.headDelivered else { return nil }
      state.headDelivered = true
      defer { state.headWaiter = nil }
      return state.headWaiter
    }
    waiter?.resume(returning: makeResponse(status: parsedStatus))
  }

  // MARK: - Body reader (any task)

  /// The next chunk of the body, nil at its end.
  ///
  /// One reader at a time.
  func nextChunk() async throws -> [UInt8]? {
    try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { continuation in
        enum Step { case chunk([UInt8]), end(Result<Void, any Error>), wait }
        var resume = false
        let step: Step = state.withLock { state in
          if let chunk = state.received.popFirst() {
            if state.receivePaused, state.received.byteCount <= responseHighWater / 2 {
              state.receivePaused = false
              resume = true
            }
            return .chunk(chunk)
          }
          if let outcome = state.outcome { return .end(outcome) }
          state.bodyWaiter = continuation
          if state.receivePaused {
            state.receivePaused = false
            resume = true
          }
          return .wait
        }
        if resume { loop.submit(.updatePause(self)) }
        switch step {
        case .chunk(let chunk): continuation.resume(returning: chunk)
        case .end(.success): continuation.resume(returning: nil)
        case .end(.failure(let error)): continuation.resume(throwing: error)
        case .wait: break
        }
      }
    } onCancel: {
      cancel()
    }
  }

  /// The most body bytes this transfer ever held waiting for its reader.
  var peakBufferedBytes: Int { state.withLock { $0.peakReceivedBytes } }
}

extension String {
  fileprivate func trimmingSpaces() -> String {
    var slice = Substring(self)
    while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
    while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
    return String(slice)
  }
}

// The request-body side: curl's read callback (loop thread) takes the body from memory.

extension Transfer {
  /// Fills curl's upload buffer from the body; 0 once it is all sent.
  func sendBody(into buffer: UnsafeMutableRawBufferPointer) -> Int {
    state.withLock { $0.toSend.consumeFront(into: buffer) }
  }
}

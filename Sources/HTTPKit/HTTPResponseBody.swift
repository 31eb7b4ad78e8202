// The body of a response as an async sequence of chunks, read with backpressure.

/// The bytes of a response body, in the chunks they arrived in.
///
/// While the reader is behind by
/// more than `HTTPClientConfiguration.responseBufferBytes`, the transfer pauses, so a slow reader
/// slows the download instead of growing a buffer. Read it from one task at a time. Dropping the
/// body before its end cancels the transfer.
public final class HTTPResponseBody: AsyncSequence, Sendable {
  /// One chunk of body bytes.
  public typealias Element = [UInt8]

  private let transfer: Transfer

  init(transfer: Transfer) {
    self.transfer = transfer
  }

  deinit {
    transfer.cancel()
  }

  /// Iterates the chunks; the iterator throws `HTTPError` if the connection breaks mid-body.
  public struct AsyncIterator: AsyncIteratorProtocol {
    let body: HTTPResponseBody

    /// The next chunk, or nil at the end of the body; paced by the shared receive limiter.
    public mutating func next() async throws -> [UInt8]? {
      guard let chunk = try await body.transfer.nextChunk() else { return nil }
      try await body.transfer.receiveLimiter?.pace(chunk.count)
      return chunk
    }
  }

  /// An iterator over the chunks.
  public func makeAsyncIterator() -> AsyncIterator {
    AsyncIterator(body: self)
  }

  /// The whole body, which must not exceed `limit` bytes (meant for small JSON or XML answers).
  public func collect(upTo limit: Int) async throws -> [UInt8] {
    var bytes: [UInt8] = []
    for try await chunk in self {
      guard bytes.count + chunk.count <= limit else {
        transfer.cancel()
        throw HTTPError.responseTooLarge(url: transfer.url, limit: limit)
      }
      bytes += chunk
    }
    return bytes
  }

  /// The most bytes this body ever held waiting for its reader (for tests and diagnostics).
  var peakBufferedBytes: Int { transfer.peakBufferedBytes }
}

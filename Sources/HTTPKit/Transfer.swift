// One request in flight: its curl handle, and the state shared between the multi loop's thread
// (which runs curl's callbacks) and the tasks that wait for the head or read the body.
internal import CCurl
import Synchronization

/// A request in flight.
///
/// Every field of `State` is guarded by one mutex; continuations are
/// resumed after the lock is released. curl's callbacks run on the loop thread only.
final class Transfer: @unchecked Sendable {
  struct State {
    var headWaiter: CheckedContinuation<HTTPResponse, any Error>?
    var headDelivered = false
    var cancelled = false
    /// Set once, when the transfer is over; the body reader sees it after the buffered chunks.
    var outcome: Result<Void, any Error>?

    var received = ChunkQueue()
    var peakReceivedBytes = 0
    var receivePaused = false
    var bodyWaiter: CheckedContinuation<[UInt8]?, any Error>?

    /// The request body not yet handed to curl.
    var toSend = ChunkQueue()
  }

  let url: String
  let easy: CurlEasyHandle
  let state = Mutex(State())
  let loop: CurlMultiLoop
  let responseHighWater: Int
  /// The shared pace of this transfer's received bytes (`--bwlimit`), if any.
  let receiveLimiter: BandwidthLimiter?

  // Response head being parsed: touched by the header callback on the loop thread only.
  var parsedStatus = 0
  var parsedHeaders = HTTPHeaders()

  init(request: HTTPRequest, configuration: HTTPClientConfiguration, loop: CurlMultiLoop) throws {
    url = request.url
    easy = try CurlEasyHandle()
    self.loop = loop
    responseHighWater = max(configuration.responseBufferBytes, 1)
    receiveLimiter = configuration.receiveLimiter
    if let bytes = request.body?.bytes { state.withLock { $0.toSend.append(bytes) } }
    try configure(request, configuration)
  }

  // MARK: - Lifecycle

  /// Registers the waiter for the response head, then hands the transfer to the loop.
  func start(headWaiter: CheckedContinuation<HTTPResponse, any Error>) {
    let alreadyCancelled = state.withLock { state in
      if state.cancelled { return true }
      state.headWaiter = headWaiter
      return false
    }
    if alreadyCancelled {
      headWaiter.resume(throwing: CancellationError())
      return
    }
    loop.submit(.add(self))
  }

  var isCancelled: Bool { state.withLock { $0.cancelled } }

  /// Stops the transfer; whoever waits on it gets `CancellationError`.
  ///
  /// Safe from any thread.
  func cancel() {
    let shouldSubmit = state.withLock { state in
      guard state.outcome == nil, !state.cancelled else { return false }
      state.cancelled = true
      return true
    }
    if shouldSubmit { loop.submit(.cancel(self)) }
  }

  /// Called on the loop thread once curl is done with the handle (it has been removed).
  func complete(code: CURLcode) {
    if code == CURLE_OK {
      finish(.success(()))
      return
    }
    if isCancelled {
      finish(.failure(CancellationError()))
    } else {
      finish(.failure(HTTPError(curlCode: code, url: url, message: easy.message(for: code))))
    }
  }

  /// Records the outcome once and wakes every waiter.
  func finish(_ outcome: Result<Void, any Error>) {
    var headWaiter: CheckedContinuation<HTTPResponse, any Error>?
    var bodyWaiter: CheckedContinuation<[UInt8]?, any Error>?
    let first = state.withLock { state in
      guard state.outcome == nil else { return false }
      state.outcome = outcome
      if !state.headDelivered {
        state.headDelivered = true
        headWaiter = state.headWaiter
      }
      state.headWaiter = nil
      bodyWaiter = state.bodyWaiter
      state.bodyWaiter = nil
      return true
    }
    guard first else { return }
    switch outcome {
    case .success:
      headWaiter?.resume(returning: makeResponse(status: easy.responseCode))
      bodyWaiter?.resume(returning: nil)
    case .failure(let error):
      headWaiter?.resume(throwing: error)
      bodyWaiter?.resume(throwing: error)
    }
  }

  func makeResponse(status: Int) -> HTTPResponse {
    HTTPResponse(status: status, headers: parsedHeaders, body: HTTPResponseBody(transfer: self))
  }

  /// Tells curl whether receiving is paused now; runs on the loop thread.
  ///
  /// Wraps `curl_easy_pause`.
  func applyPauseState() {
    let paused = state.withLock { $0.receivePaused }
    curl_easy_pause(easy.raw, Int32(paused ? CURLPAUSE_RECV : 0))
  }
}

// One request in flight: its curl handle, and the state shared between the multi loop's thread
// (which runs curl's callbacks) and the tasks that wait for the head, read the body or feed the
// upload.
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

    var toSend = ChunkQueue()
    var sendSourceEnded = false
    var sendFailure: HTTPError?
    var sendPaused = false
    var sendSpaceWaiter: CheckedContinuation<Void, any Error>?
  }

  let url: String
  let easy: CurlEasyHandle
  let state = Mutex(State())
  let loop: CurlMultiLoop
  let responseHighWater: Int
  let requestHighWater: Int
  /// The shared paces of this transfer's body bytes (`--bwlimit`), if any.
  let receiveLimiter: BandwidthLimiter?
  let sendLimiter: BandwidthLimiter?
  private let body: HTTPRequestBody?
  private let uploadTask = Mutex<Task<Void, Never>?>(nil)

  // Response head being parsed: touched by the header callback on the loop thread only.
  var parsedStatus = 0
  var parsedHeaders = HTTPHeaders()

  init(request: HTTPRequest, configuration: HTTPClientConfiguration, loop: CurlMultiLoop) throws {
    url = request.url
    easy = try CurlEasyHandle()
    self.loop = loop
    body = request.body
    responseHighWater = max(configuration.responseBufferBytes, 1)
    requestHighWater = max(configuration.requestBufferBytes, 1)
    receiveLimiter = configuration.receiveLimiter
    sendLimiter = configuration.sendLimiter
    if case .bytes(let bytes) = request.body?.source {
      state.withLock {
        $0.toSend.append(bytes)
        $0.sendSourceEnded = true
      }
    }
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
    if case .chunks(let next) = body?.source, let length = body?.length {
      uploadTask.withLock { $0 = Task { await self.pumpRequestBody(next: next, length: length) } }
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
    let (cancelled, sendFailure) = state.withLock { ($0.cancelled, $0.sendFailure) }
    if cancelled {
      finish(.failure(CancellationError()))
    } else if let sendFailure {
      finish(.failure(sendFailure))
    } else {
      finish(.failure(HTTPError(curlCode: code, url: url, message: easy.message(for: code))))
    }
  }

  /// Records the outcome once and wakes every waiter.
  func finish(_ outcome: Result<Void, any Error>) {
    var headWaiter: CheckedContinuation<HTTPResponse, any Error>?
    var bodyWaiter: CheckedContinuation<[UInt8]?, any Error>?
    var spaceWaiter: CheckedContinuation<Void, any Error>?
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
      spaceWaiter = state.sendSpaceWaiter
      state.sendSpaceWaiter = nil
      return true
    }
    guard first else { return }
    uploadTask.withLock { $0?.cancel() }
    spaceWaiter?.resume(throwing: CancellationError())
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

  /// Tells curl which directions are paused now; runs on the loop thread.
  ///
  /// Wraps `curl_easy_pause`.
  func applyPauseState() {
    let mask = state.withLock { state in
      (state.receivePaused ? CURLPAUSE_RECV : 0) | (state.sendPaused ? CURLPAUSE_SEND : 0)
    }
    curl_easy_pause(easy.raw, Int32(mask))
  }
}

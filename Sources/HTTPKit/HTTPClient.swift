// The public entry point of HTTPKit.

/// A streaming HTTP/1.1 client over libcurl.
///
/// Many requests may run at once from any tasks; they
/// share keep-alive connections. curl runs on a thread of its own, never on the Swift
/// cooperative pool.
public final class HTTPClient: Sendable {
  /// The settings every request uses.
  public let configuration: HTTPClientConfiguration
  private let loop: CurlMultiLoop

  /// A client with its own connection cache and transfer thread.
  public init(configuration: HTTPClientConfiguration = HTTPClientConfiguration()) throws {
    self.configuration = configuration
    loop = try CurlMultiLoop(configuration: configuration)
  }

  deinit {
    loop.shutdown()
  }

  /// Sends `request` and returns as soon as the response's status and headers have arrived;
  /// the body streams through `HTTPResponse.body`.
  ///
  /// Throws `HTTPError` when no response head
  /// arrives, and `CancellationError` if the task is cancelled.
  public func execute(_ request: HTTPRequest) async throws -> HTTPResponse {
    // A body is paced before it goes: curl then sends it as fast as the network takes it.
    if let body = request.body { try await configuration.sendLimiter?.pace(body.bytes.count) }
    let transfer = try Transfer(request: request, configuration: configuration, loop: loop)
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { continuation in
        transfer.start(headWaiter: continuation)
      }
    } onCancel: {
      transfer.cancel()
    }
  }

  /// Stops every transfer in flight (they fail with `CancellationError`) and ends the thread.
  ///
  /// Later requests fail the same way. Called by `deinit` too.
  public func shutdown() {
    loop.shutdown()
  }
}

// What HTTPClient hands back as soon as the response head has arrived.

/// A response whose status and headers are known; the body may still be arriving.
public struct HTTPResponse: Sendable {
  /// The final status code (1xx interim responses are skipped).
  public let status: Int
  /// The response headers of the final response.
  public let headers: HTTPHeaders
  /// The body, streamed in chunks with backpressure.
  ///
  /// Read it to the end, or drop it to cancel the
  /// transfer and free its connection.
  public let body: HTTPResponseBody
}

extension HTTPResponse {
  /// The wait the server asks for in `Retry-After`, when it gives it in seconds (the HTTP-date
  /// form is not honoured: the policy's backoff applies then).
  public var retryAfter: Duration? {
    guard let value = headers["retry-after"], let seconds = Int(value), seconds >= 0 else { return nil }
    return .seconds(seconds)
  }

  /// Whether a server answering with this status may well answer the same request better later:
  /// 5xx, 429 (too many requests) and 408 (request timeout).
  public static func isPassing(status: Int) -> Bool {
    status >= 500 || status == 429 || status == 408
  }
}

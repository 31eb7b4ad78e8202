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

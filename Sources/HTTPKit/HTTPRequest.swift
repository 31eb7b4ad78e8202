// What a caller asks HTTPClient to send.

/// An HTTP request: method, absolute URL, headers and an optional body of known length.
public struct HTTPRequest: Sendable {
  /// The method, upper case (`GET`, `PUT`, `POST`, `HEAD`, `DELETE`…).
  public var method: String
  /// The absolute URL, already percent-encoded as it must go on the wire.
  public var url: String
  /// Request headers.
  ///
  /// `Content-Length` is set from the body; do not set it here.
  public var headers: HTTPHeaders
  /// The body, or nil for none.
  public var body: HTTPRequestBody?

  /// A request.
  public init(method: String = "GET", url: String, headers: HTTPHeaders = [:], body: HTTPRequestBody? = nil) {
    self.method = method
    self.url = url
    self.headers = headers
    self.body = body
  }
}

// Request bodies: bytes held in memory, whose length is known before the request goes.

/// A request body, sent with `Content-Length` (never chunked encoding, which the Cells S3 gateway
/// does not accept for uploads).
///
/// Bodies are held whole: cellar's largest is one multipart part (a few MiB), and a body in
/// memory can be sent again as it is when a retry needs it.
public struct HTTPRequestBody: Sendable {
  /// The bytes sent.
  public let bytes: [UInt8]

  /// The number of bytes the body holds.
  public var length: Int64 { Int64(bytes.count) }

  /// A body of `bytes`.
  public static func bytes(_ bytes: [UInt8]) -> HTTPRequestBody {
    HTTPRequestBody(bytes: bytes)
  }
}

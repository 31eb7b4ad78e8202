// Request bodies: a buffer, or a stream of chunks whose total length is known up front.

/// A request body of known length, sent as `Content-Length` (never chunked encoding, which the
/// Cells S3 gateway does not accept for uploads).
public struct HTTPRequestBody: Sendable {
  /// Where the bytes come from.
  enum Source: Sendable {
    case bytes([UInt8])
    /// Pulled one chunk at a time when the upload buffer has room; nil ends the body.
    case chunks(@Sendable () async throws -> [UInt8]?)
  }

  /// The exact number of bytes the body holds.
  public let length: Int64
  let source: Source

  /// A body held in memory.
  public static func bytes(_ bytes: [UInt8]) -> HTTPRequestBody {
    HTTPRequestBody(length: Int64(bytes.count), source: .bytes(bytes))
  }

  /// A body pulled chunk by chunk: `next` is called again only when the previous chunk has been
  /// (nearly) sent, so a producer never runs far ahead of the network.
  ///
  /// It must produce exactly
  /// `length` bytes, then return nil; any other count fails the request.
  public static func stream(length: Int64, next: @escaping @Sendable () async throws -> [UInt8]?) -> HTTPRequestBody {
    HTTPRequestBody(length: length, source: .chunks(next))
  }

  /// A body read from an async sequence of chunks, with the same rules as `stream(length:next:)`.
  public static func stream<Chunks: AsyncSequence & Sendable>(length: Int64, chunks: Chunks) -> HTTPRequestBody
  where Chunks.Element == [UInt8] {
    let box = IteratorBox(chunks.makeAsyncIterator())
    return .stream(length: length) { try await box.next() }
  }
}

/// Holds an async iterator for the single upload task that pulls from it.
///
/// The task calls `next`
/// strictly one call at a time, which is what makes the unchecked Sendable sound.
private final class IteratorBox<Iterator: AsyncIteratorProtocol>: @unchecked Sendable
where Iterator.Element == [UInt8] {
  private var iterator: Iterator
  init(_ iterator: Iterator) { self.iterator = iterator }
  func next() async throws -> [UInt8]? { try await iterator.next() }
}

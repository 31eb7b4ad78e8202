// S3Kit: what HEAD and GET say about an object.
import Foundation
import HTTPKit

/// The size, ETag and type of an object, from HEAD or GET headers.
public struct S3ObjectInfo: Sendable, Equatable {
  /// The whole object's size in bytes (also for a ranged GET).
  public var size: Int64
  /// The ETag without quotes (Cells: the node's Etag).
  public var etag: String
  /// The Content-Type.
  public var contentType: String?
  /// The Last-Modified header as sent.
  public var lastModified: String?

  /// Reads the headers of a 200 or 206 answer; nil when the size cannot be known.
  init?(headers: HTTPHeaders) {
    if let range = headers["content-range"], let total = range.split(separator: "/").last, let size = Int64(total) {
      self.size = size
    } else if let length = headers["content-length"], let size = Int64(length) {
      self.size = size
    } else {
      return nil
    }
    etag = (headers["etag"] ?? "").unquotedETag
    contentType = headers["content-type"]
    lastModified = headers["last-modified"]
  }
}

extension String {
  /// An ETag without the quotes S3 puts around it.
  var unquotedETag: String { trimmingCharacters(in: ["\""]) }
}

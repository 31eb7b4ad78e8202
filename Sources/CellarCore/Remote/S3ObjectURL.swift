// CellarCore: an archive named by an `s3://BUCKET/KEY` URL.

/// A bucket and key, from `s3://BUCKET/KEY`.
public struct S3ObjectURL: Sendable, Equatable, CustomStringConvertible {
  /// The bucket.
  public var bucket: String
  /// The object's key (no leading slash).
  public var key: String

  /// The object `text` names, or nil when it is not an `s3://` URL.
  ///
  /// - Throws: `CellarError.usage` for an `s3://` URL without a bucket or a key.
  public init?(_ text: String) throws {
    guard text.hasPrefix("s3://") else { return nil }
    let rest = text.dropFirst("s3://".count)
    guard let slash = rest.firstIndex(of: "/"), slash != rest.startIndex, rest.index(after: slash) != rest.endIndex
    else {
      throw CellarError.usage("\(text): an S3 archive is named s3://BUCKET/KEY")
    }
    bucket = String(rest[..<slash])
    key = String(rest[rest.index(after: slash)...])
  }

  /// The same bucket, another key.
  public func sibling(_ key: String) -> S3ObjectURL {
    var other = self
    other.key = key
    return other
  }

  /// The key of the "folder" the object is in: its key up to the last `/`, included ("" at the
  /// top of the bucket).
  public var folderKey: String {
    guard let slash = key.lastIndex(of: "/") else { return "" }
    return String(key[...slash])
  }

  /// The object's name, the key after the last `/`.
  public var name: String { String(key.dropFirst(folderKey.count)) }

  /// `s3://BUCKET/KEY`.
  public var description: String { "s3://\(bucket)/\(key)" }
}

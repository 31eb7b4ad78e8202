// S3Kit: the request target (path and query) of a path-style S3 request, encoded once so that the
// bytes sent are the bytes signed.

/// Builds the encoded path and query of path-style S3 requests (`/bucket/key?query`).
///
/// Every byte of the key outside the RFC 3986 unreserved set is percent-encoded, "/" excepted, the
/// way botocore and minio-go encode keys. So "+", "#", "%", "?", "=", spaces and non-ASCII reach
/// the server intact, and the signer's canonical URI of the result is the result itself.
/// Unicode is not normalised: NFC and NFD spellings of a name stay different keys.
public enum S3Path {
  /// The encoded path of a bucket, for bucket-level requests such as ListObjectsV2: "/bucket".
  public static func encode(bucket: String) -> String {
    "/" + URIEncoding.encode(bucket, keepSlash: false)
  }

  /// The encoded path of an object: "/bucket/" followed by the key with "/" kept.
  ///
  /// No "." or ".." segment is removed and "//" stays, as S3 keys allow (the HTTP client must
  /// not normalise the path either; curl needs `CURLOPT_PATH_AS_IS`).
  public static func encode(bucket: String, key: String) -> String {
    encode(bucket: bucket) + "/" + encodeKey(key)
  }

  /// The key percent-encoded with "/" kept.
  public static func encodeKey(_ key: String) -> String {
    URIEncoding.encode(key, keepSlash: true)
  }

  /// The encoded query string (without "?") of `items`, in the given order: names and values are
  /// encoded with "/" encoded too; a nil value gives a bare name ("uploads"), an empty one "name=".
  public static func encodeQuery(_ items: [(name: String, value: String?)]) -> String {
    items.map { item in
      let name = URIEncoding.encode(item.name, keepSlash: false)
      guard let value = item.value else { return name }
      return name + "=" + URIEncoding.encode(value, keepSlash: false)
    }.joined(separator: "&")
  }

  /// The request target: the encoded object (or bucket, for an empty key) path, then "?" and the
  /// encoded query when there is one.
  public static func target(
    bucket: String, key: String = "", query: [(name: String, value: String?)] = []
  ) -> String {
    let path = key.isEmpty ? encode(bucket: bucket) : encode(bucket: bucket, key: key)
    return query.isEmpty ? path : path + "?" + encodeQuery(query)
  }
}

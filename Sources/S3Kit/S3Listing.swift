// S3Kit: one level (or a whole subtree) of a ListObjectsV2 answer.

/// The objects and common prefixes under a prefix.
public struct S3Listing: Sendable, Equatable {
  /// One object of the listing.
  public struct Object: Sendable, Equatable {
    /// The full key.
    public var key: String
    /// The size in bytes.
    public var size: Int64
    /// The ETag without quotes.
    public var etag: String
  }

  /// The objects, in the server's order.
  public var objects: [Object] = []
  /// The "folders" one level down when listing with a delimiter, each ending with it.
  public var commonPrefixes: [String] = []
  /// True when the answer held as many entries as `max-keys` allowed without saying it was
  /// truncated: the Cells gateway cuts listings there silently, so the caller cannot trust that
  /// it saw everything.
  public var mayBeIncomplete = false
}

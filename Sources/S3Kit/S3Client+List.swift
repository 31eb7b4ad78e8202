// S3Kit: ListObjectsV2.
import Foundation

extension S3Client {
  /// The largest listing answer read: 4 KiB per entry (keys are at most 1 KiB) and 1 MiB more.
  static func listingLimit(_ maxKeys: Int) -> Int { (1 << 20) + max(maxKeys, 1) * 4096 }

  /// Lists the keys under `prefix`: one level when `delimiter` is "/", the whole subtree when nil.
  ///
  /// Follows continuation tokens when a server sends them. The Cells gateway never does and cuts
  /// the answer at `maxKeys` instead; `mayBeIncomplete` then tells the caller to find the rest
  /// another way (cellar lists folders through REST and uses S3 only for what REST hides).
  public func list(prefix: String, delimiter: String? = "/", maxKeys: Int = 1000) async throws -> S3Listing {
    var listing = S3Listing()
    var token: String?
    repeat {
      var query: [(name: String, value: String?)] = [("list-type", "2"), ("max-keys", String(maxKeys))]
      query.append(("prefix", prefix))
      if let delimiter { query.append(("delimiter", delimiter)) }
      if let token { query.append(("continuation-token", token)) }
      let call = Call(operation: "ListObjectsV2", method: "GET", key: "", query: query)
      let document = try await xml(
        of: call, limit: Self.listingLimit(maxKeys), recordNames: ["Contents", "CommonPrefixes"])
      var entries = 0
      for record in document.records {
        entries += 1
        if record.name == "CommonPrefixes", let prefix = record.fields["Prefix"] {
          listing.commonPrefixes.append(prefix)
        } else if record.name == "Contents", let key = record.fields["Key"] {
          let size = Int64(record.fields["Size"] ?? "0") ?? 0
          let etag = (record.fields["ETag"] ?? "").unquotedETag
          listing.objects.append(.init(key: key, size: size, etag: etag))
        }
      }
      let truncated = document.fields["IsTruncated"] == "true"
      token = truncated ? document.fields["NextContinuationToken"] : nil
      listing.mayBeIncomplete = !truncated && entries >= maxKeys
    } while token != nil
    return listing
  }
}

// CellsSandbox: what the gateway needs to know of an incoming S3 request.
import Foundation
import Hummingbird

/// An S3 request, parsed once: method, raw target, bucket and key, query items, headers.
struct S3Request {
  let method: String
  /// The path as received, percent-encoded.
  let rawPath: String
  /// The query as received, without "?".
  let rawQuery: String?
  /// Header fields as received, names in lowercase, with `host` added (HTTP/1's Host is the
  /// authority in HTTPTypes).
  let headers: [(name: String, value: String)]
  /// "io", "data", or nil for the service root.
  let bucket: String?
  /// The decoded object key ("" for bucket requests).
  let key: String
  /// Decoded query items.
  let query: [String: String]

  init(_ request: Request) {
    method = request.method.rawValue
    rawPath = request.uri.path
    rawQuery = request.uri.query.flatMap { $0.isEmpty ? nil : $0 }
    var headers: [(name: String, value: String)] = []
    if let authority = request.head.authority { headers.append(("host", authority)) }
    for field in request.headers { headers.append((field.name.canonicalName, field.value)) }
    self.headers = headers
    let trimmed = rawPath.drop { $0 == "/" }
    let bucketPart = trimmed.prefix { $0 != "/" }
    bucket = bucketPart.isEmpty ? nil : String(bucketPart)
    let rawKey = trimmed.dropFirst(bucketPart.count).dropFirst()
    key = String(rawKey).removingPercentEncoding ?? String(rawKey)
    var query: [String: String] = [:]
    for item in (rawQuery ?? "").split(separator: "&") {
      let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      let name = String(pair[0]).removingPercentEncoding ?? String(pair[0])
      let value = pair.count > 1 ? (String(pair[1]).removingPercentEncoding ?? String(pair[1])) : ""
      query[name] = value
    }
    self.query = query
  }

  /// The first value of the header `name`, given in lowercase as `headers` holds the names.
  func header(_ name: String) -> String? {
    headers.first { $0.name == name }?.value
  }
}

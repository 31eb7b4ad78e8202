// CellsSandboxTests: plain HTTP calls to a running sandbox, through our own HTTPKit client.
import CellsSandbox
import Foundation
import HTTPKit
import S3Kit

/// One client for the whole suite: it keeps connections alive and runs curl on its own thread.
let http: HTTPClient = {
  do { return try HTTPClient() } catch { fatalError("HTTPKit client: \(error)") }
}()

/// A REST answer: status, raw text and the decoded JSON object.
struct RESTReply {
  let status: Int
  let text: String
  var json: [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
  }
  /// `Nodes` of a bulk-meta answer.
  var nodes: [[String: Any]] { json["Nodes"] as? [[String: Any]] ?? [] }
  /// The `Path` of each node in `Nodes`.
  var paths: [String] { nodes.compactMap { $0["Path"] as? String } }
}

extension Sandbox {
  /// Sends a REST request with `Authorization: Bearer token` (none when nil).
  func rest(
    _ method: String, _ path: String, token: String?, json: String? = nil
  ) async throws -> RESTReply {
    var headers: HTTPHeaders = ["Content-Type": "application/json"]
    if let token { headers.set("Authorization", "Bearer \(token)") }
    let response = try await http.execute(
      HTTPRequest(
        method: method, url: baseURL.absoluteString + path, headers: headers,
        body: json.map { .bytes(Array($0.utf8)) }))
    let body = try await response.body.collect(upTo: 64 << 20)
    return RESTReply(status: response.status, text: String(decoding: body, as: UTF8.self))
  }

  /// `POST /a/tree/stats` as `login`.
  func stats(_ json: String, as login: String = "admin") async throws -> RESTReply {
    try await rest("POST", "/a/tree/stats", token: token(for: login), json: json)
  }

  /// Sends an S3 request signed with SigV4 (S3Kit's signer) for `key` in bucket `io`.
  func s3(
    _ method: String, key: String = "", bucket: String = "io",
    query: [(name: String, value: String?)] = [], token: String, secret: String = "gatewaysecret",
    headers extra: [(name: String, value: String)] = [], body: [UInt8] = [],
    payload: SigV4Signer.Payload? = nil, date: Date = Date()
  ) async throws -> (status: Int, headers: HTTPHeaders, body: [UInt8]) {
    let target = S3Path.target(bucket: bucket, key: key, query: query)
    let signer = SigV4Signer(accessKey: token, secretKey: secret)
    let signed = try signer.sign(
      method: method, url: URL(string: baseURL.absoluteString + target)!, headers: extra,
      payload: try payload ?? (body.isEmpty ? .emptyBody : .sha256(of: body)), date: date)
    var headers = HTTPHeaders()
    for field in signed { headers.add(field.name, field.value) }
    let response = try await http.execute(
      HTTPRequest(
        method: method, url: baseURL.absoluteString + target, headers: headers,
        body: method == "PUT" || method == "POST" ? .bytes(body) : nil))
    let bytes = method == "HEAD" ? [] : try await response.body.collect(upTo: 256 << 20)
    return (response.status, response.headers, bytes)
  }
}

/// The string inside a MetaStore JSON value (`"\"x\""` → `x`).
func metaString(_ node: [String: Any], _ key: String) -> String? {
  guard let raw = (node["MetaStore"] as? [String: String])?[key] else { return nil }
  return (try? JSONSerialization.jsonObject(with: Data(raw.utf8), options: [.fragmentsAllowed]))
    as? String
}

/// The `<Code>` of an S3 XML error body.
func s3ErrorCode(_ body: [UInt8]) -> String? {
  let text = String(decoding: body, as: UTF8.self)
  guard let start = text.range(of: "<Code>"), let end = text.range(of: "</Code>") else { return nil }
  return String(text[start.upperBound..<end.lowerBound])
}

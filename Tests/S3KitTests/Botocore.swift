// Test support: runs botocore_sign.py, botocore's S3SigV4Auth, as the reference signer.
import CellarTestSupport
import Foundation
import HashKit
import Testing

@testable import S3Kit

/// One request, described once and signed by both botocore and SigV4Signer.
struct SigningCase: Sendable, CustomTestStringConvertible {
  var name: String
  var method = "GET"
  var endpoint = "https://cells.example.com"
  var bucket = "io"
  var key = ""
  var query: [QueryItem] = []
  var headers: [Header] = []
  var body: [UInt8]? = nil
  var unsigned = false
  var date = Date(timeIntervalSince1970: 1_369_353_600)  // 2013-05-24T00:00:00Z
  var accessKey = "AKIAIOSFODNN7EXAMPLE"
  var secretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
  var region = "us-east-1"

  struct QueryItem: Sendable {
    var name: String
    var value: String?
  }

  struct Header: Sendable {
    var name: String
    var value: String
  }

  var testDescription: String { name }

  /// The request target our client sends.
  var target: String {
    S3Path.target(bucket: bucket, key: key, query: query.map { (name: $0.name, value: $0.value) })
  }

  /// The payload our client declares.
  func payload() throws -> SigV4Signer.Payload {
    if unsigned { return .unsigned }
    guard let body else { return .emptyBody }
    return try .sha256(of: body)
  }

  /// The request description botocore_sign.py reads.
  ///
  /// The key travels as hex so that JSON and
  /// Python cannot normalise its Unicode.
  var json: [String: Any] {
    [
      "name": name, "method": method, "endpoint": endpoint, "bucket": bucket,
      "keyHex": hex(Array(key.utf8)),
      "query": query.map { [$0.name, $0.value as Any? ?? NSNull()] },
      "headers": headers.map { [$0.name, $0.value] },
      "bodyHex": body.map(hex) ?? NSNull(),
      "unsigned": unsigned,
      "timestamp": SigV4Signer.timestamp(date),
      "accessKey": accessKey, "secretKey": secretKey, "region": region,
    ]
  }
}

/// What botocore produced for one request.
struct BotocoreResult: Decodable, Sendable {
  var name: String
  var path: String
  var query: String
  var host: String
  var headers: [String: String]
  var canonicalRequest: String
  var stringToSign: String

  var target: String { query.isEmpty ? path : path + "?" + query }
}

/// Signs every case with botocore in one python3 run (importing botocore takes most of the time).
func signWithBotocore(_ cases: [SigningCase]) throws -> [String: BotocoreResult] {
  let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("botocore_sign.py")
  // One JSON document each way, through files: nothing can block on a full pipe.
  let output = try ChildProcess.output(
    "python3", [script.path], input: JSONSerialization.data(withJSONObject: cases.map(\.json)))
  let results = try JSONDecoder().decode([BotocoreResult].self, from: output)
  return Dictionary(uniqueKeysWithValues: results.map { ($0.name, $0) })
}

func hex(_ bytes: [UInt8]) -> String {
  Digest(bytes: bytes).hex
}

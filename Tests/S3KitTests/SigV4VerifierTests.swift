// Tests for SigV4Verifier on requests signed by SigV4Signer (botocore's are in
// BotocoreComparisonTests).
import Foundation
import Testing

@testable import S3Kit

@Suite struct SigV4VerifierTests {
  static let signer = SigV4Signer(accessKey: "token.with-dots_1", secretKey: "gatewaysecret")
  static let target = S3Path.target(
    bucket: "io", key: "personal/a b+c/\u{E9}t\u{E9}.txt",
    query: [(name: "versionId", value: "v/1"), (name: "a", value: nil)])

  /// A request as a server receives it: method, raw path, raw query and all headers.
  struct Received {
    var method = "GET"
    var path: String
    var query: String?
    var headers: [(name: String, value: String)]

    func verify(secret: String = "gatewaysecret") throws -> Bool {
      try SigV4Verifier.verify(
        method: method, rawPath: path, rawQuery: query, headers: headers, secretKey: secret)
    }
  }

  func signedRequest() throws -> Received {
    let url = try #require(URL(string: "http://127.0.0.1:8080" + Self.target))
    let headers = try Self.signer.sign(
      method: "GET", url: url,
      headers: [(name: "Range", value: "bytes=0-9"), (name: "User-Agent", value: "cellar")],
      payload: .emptyBody, date: Date(timeIntervalSince1970: 1_700_000_000))
    let parts = Self.target.split(separator: "?", maxSplits: 1).map(String.init)
    return Received(path: parts[0], query: parts[1], headers: headers)
  }

  @Test func acceptsOwnSignature() throws {
    #expect(try signedRequest().verify())
  }

  @Test func rejectsWrongSecret() throws {
    #expect(try !signedRequest().verify(secret: "wrongsecret"))
  }

  @Test func acceptsChangesToUnsignedHeadersOnly() throws {
    var request = try signedRequest()
    request.headers.removeAll { $0.name == "User-Agent" }
    request.headers.append((name: "X-Forwarded-For", value: "10.0.0.1"))
    #expect(try request.verify())
  }

  @Test func rejectsTampering() throws {
    var method = try signedRequest()
    method.method = "DELETE"
    var path = try signedRequest()
    path.path += "x"
    var query = try signedRequest()
    query.query = "versionId=v%2F2&a"
    var range = try signedRequest()
    range.headers = range.headers.map { $0.name == "Range" ? ($0.name, "bytes=0-99") : $0 }
    var dropped = try signedRequest()
    dropped.headers.removeAll { $0.name == "Range" }
    for request in [method, path, query, range, dropped] {
      #expect(try !request.verify())
    }
  }

  @Test func headerNamesAreCaseInsensitiveAndQueryOrderIsFree() throws {
    var request = try signedRequest()
    request.headers = request.headers.map { (name: $0.name.uppercased(), value: $0.value) }
    request.query = "a&versionId=v%2f1"  // reordered, lowercase hex escape
    #expect(try request.verify())
  }

  @Test func requestsWithoutSigV4Throw() throws {
    var unsigned = try signedRequest()
    unsigned.headers.removeAll { $0.name == "Authorization" }
    #expect(throws: SigningError.missingHeader("authorization")) { try unsigned.verify() }
    var noDate = try signedRequest()
    noDate.headers.removeAll { $0.name == "x-amz-date" }
    #expect(throws: SigningError.missingHeader("x-amz-date")) { try noDate.verify() }
  }
}

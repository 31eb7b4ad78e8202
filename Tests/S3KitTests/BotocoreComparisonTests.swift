// Tests that SigV4Signer and S3Path agree with botocore byte for byte, and that SigV4Verifier
// accepts what botocore signs.
import Foundation
import Testing

@testable import S3Kit

@Suite struct BotocoreComparisonTests {
  static let cases: [SigningCase] = [
    SigningCase(
      name: "list with prefix and delimiter", bucket: "io",
      query: [
        .init(name: "list-type", value: "2"), .init(name: "prefix", value: "a b/"),
        .init(name: "delimiter", value: "/"),
      ]),
    SigningCase(name: "key with spaces", key: "common-files/my folder/report 2024.pdf"),
    SigningCase(
      name: "unicode NFC key", key: "common-files/caf\u{E9}/na\u{EF}ve \u{65E5}\u{672C}.txt"),
    SigningCase(name: "unicode NFD key", key: "common-files/cafe\u{301}/nai\u{308}ve.txt"),
    SigningCase(
      name: "reserved characters in key", key: "a+b/c%20d/e#f/g=h/i~j/k?l&m/'!()*,;:@$[]"),
    SigningCase(
      name: "dot segments and double slash are kept", key: "personal/./x/../y//z.txt"),
    SigningCase(
      name: "PUT with payload hash", method: "PUT", key: "personal/admin/hello.txt",
      headers: [
        .init(name: "Content-Type", value: "text/plain"),
        .init(name: "X-Amz-Meta-Pydio-Clear-Size", value: "21"),
      ],
      body: Array("Welcome to Amazon S3.".utf8)),
    SigningCase(
      name: "PUT with UNSIGNED-PAYLOAD", method: "PUT", key: "personal/admin/big.bin",
      headers: [
        .init(name: "Content-Length", value: "104857600"),
        .init(name: "Content-Type", value: "application/octet-stream"),
      ],
      unsigned: true),
    SigningCase(
      name: "GET with Range", key: "common-files/video.mp4",
      headers: [.init(name: "Range", value: "bytes=0-1048575")]),
    SigningCase(name: "HEAD", method: "HEAD", key: "common-files/video.mp4"),
    SigningCase(
      name: "non-default port", endpoint: "http://localhost:8080", key: "personal/a.txt"),
    SigningCase(
      name: "IP address with port", endpoint: "https://127.0.0.1:8443", key: "personal/a.txt"),
    SigningCase(
      name: "default port written out", endpoint: "https://cells.example.com:443",
      key: "personal/a.txt"),
    SigningCase(
      name: "create multipart upload", method: "POST", key: "personal/big.tar",
      query: [.init(name: "uploads", value: nil)],
      headers: [.init(name: "X-Amz-Meta-Pydio-Clear-Size", value: "unknown")], body: []),
    SigningCase(
      name: "upload part with encoded upload id", method: "PUT", key: "personal/big.tar",
      query: [.init(name: "partNumber", value: "1"), .init(name: "uploadId", value: "a+b/c=d e")],
      unsigned: true),
    SigningCase(
      name: "unsorted query with repeated and empty values", bucket: "data",
      query: [
        .init(name: "z", value: ""), .init(name: "a", value: "2"), .init(name: "a", value: "1"),
        .init(name: "A", value: "~x*"),
      ]),
    SigningCase(
      name: "header whitespace and ignored headers", key: "x",
      headers: [
        .init(name: "X-Amz-Meta-Note", value: "  hello    world \t again "),
        .init(name: "User-Agent", value: "cellar/1.0"),
        .init(name: "Expect", value: "100-continue"),
      ]),
    SigningCase(
      name: "Cells token and gateway secret", key: "personal/admin/a.txt",
      date: Date(timeIntervalSince1970: 1_700_000_000.75),
      accessKey: "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJl-_x",
      secretKey: "gatewaysecret"),
    SigningCase(
      name: "other region", key: "a b", region: "eu-west-3"),
  ]

  /// botocore's results, computed once for all cases.
  static let botocore = Result { try signWithBotocore(cases) }

  @Test(arguments: cases)
  func sameTargetAndHeadersAsBotocore(_ request: SigningCase) throws {
    let reference = try #require(try Self.botocore.get()[request.name])
    #expect(request.target == reference.target, "the request target on the wire")

    let signer = SigV4Signer(
      accessKey: request.accessKey, secretKey: request.secretKey, region: request.region)
    let url = try #require(URL(string: request.endpoint + request.target))
    let headers = try signer.sign(
      method: request.method, url: url, headers: request.headers.map { ($0.name, $0.value) },
      payload: request.payload(), date: request.date)
    let signed = Dictionary(headers.map { ($0.name.lowercased(), $0.value) }) { first, _ in first }

    #expect(signed["host"] == reference.host)
    #expect(signed["x-amz-date"] == reference.headers["x-amz-date"])
    #expect(signed["x-amz-content-sha256"] == reference.headers["x-amz-content-sha256"])
    #expect(signed["authorization"] == reference.headers["authorization"])
  }

  @Test(arguments: cases)
  func canonicalRequestMatchesBotocore(_ request: SigningCase) throws {
    let reference = try #require(try Self.botocore.get()[request.name])
    // Botocore's headers after signing, plus the Host it signed but leaves to the HTTP library.
    var headers = reference.headers.filter { $0.key != "authorization" }.map { ($0.key, $0.value) }
    headers.append(("host", reference.host))
    let signedNames = Set(
      reference.canonicalRequest.split(separator: "\n").dropLast().last!
        .split(separator: ";").map(String.init))
    let canonical = SigV4Signer.canonicalRequest(
      method: request.method, rawPath: reference.path, rawQuery: reference.query,
      headers: headers.filter { signedNames.contains($0.0) },
      payloadHash: try #require(reference.headers["x-amz-content-sha256"]))
    #expect(canonical == reference.canonicalRequest)
  }

  @Test(arguments: cases)
  func verifierAcceptsBotocoreSignature(_ request: SigningCase) throws {
    let reference = try #require(try Self.botocore.get()[request.name])
    var headers = reference.headers.map { (name: $0.key, value: $0.value) }
    headers.append((name: "Host", value: reference.host))
    let query = reference.query.isEmpty ? nil : reference.query
    #expect(
      try SigV4Verifier.verify(
        method: request.method, rawPath: reference.path, rawQuery: query, headers: headers,
        secretKey: request.secretKey))
    #expect(
      try !SigV4Verifier.verify(
        method: request.method, rawPath: reference.path, rawQuery: query, headers: headers,
        secretKey: request.secretKey + "x"))
  }
}

// Tests for SigV4Signer against the examples published in the AWS S3 SigV4 documentation
// ("Signature Calculations for the Authorization Header", examplebucket, 2013-05-24).
import Foundation
import Testing

@testable import S3Kit

@Suite struct SigV4SignerTests {
  static let signer = SigV4Signer(
    accessKey: "AKIAIOSFODNN7EXAMPLE", secretKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
  static let date = Date(timeIntervalSince1970: 1_369_353_600)  // 20130524T000000Z
  static let host = (name: "Host", value: "examplebucket.s3.amazonaws.com")

  @Test func getObjectExampleStepByStep() throws {
    let headers = [
      Self.host, (name: "Range", value: "bytes=0-9"),
      (name: "x-amz-content-sha256", value: SigV4Signer.Payload.emptySHA256),
      (name: "x-amz-date", value: "20130524T000000Z"),
    ]
    let canonical = SigV4Signer.canonicalRequest(
      method: "GET", rawPath: "/test.txt", rawQuery: nil, headers: headers,
      payloadHash: SigV4Signer.Payload.emptySHA256)
    #expect(
      canonical == """
        GET
        /test.txt

        host:examplebucket.s3.amazonaws.com
        range:bytes=0-9
        x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
        x-amz-date:20130524T000000Z

        host;range;x-amz-content-sha256;x-amz-date
        e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
        """)

    let stringToSign = try Self.signer.stringToSign(
      canonicalRequest: canonical, amzDate: "20130524T000000Z")
    #expect(
      stringToSign == """
        AWS4-HMAC-SHA256
        20130524T000000Z
        20130524/us-east-1/s3/aws4_request
        7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972
        """)

    let key = try Self.signer.signingKey(dateStamp: "20130524")
    #expect(hex(key) == "dbb893acc010964918f1fd433add87c70e8b0db6be30c1fbeafefa5ec6ba8378")
    #expect(
      try SigV4Signer.signature(stringToSign: stringToSign, signingKey: key)
        == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
  }

  @Test func getObjectExampleThroughSign() throws {
    let url = try #require(URL(string: "https://examplebucket.s3.amazonaws.com/test.txt"))
    let headers = try Self.signer.sign(
      method: "GET", url: url, headers: [(name: "Range", value: "bytes=0-9")],
      payload: .emptyBody, date: Self.date)
    #expect(
      headers.map(\.name) == [
        "Host", "Range", "x-amz-date", "x-amz-content-sha256", "Authorization",
      ])
    #expect(
      headers.map(\.value) == [
        "examplebucket.s3.amazonaws.com", "bytes=0-9", "20130524T000000Z",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
          + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
          + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
      ])
  }

  @Test func putObjectExample() throws {
    let headers = try Self.signer.sign(
      method: "PUT", rawPath: "/test%24file.text", rawQuery: nil,
      headers: [
        Self.host, (name: "Date", value: "Fri, 24 May 2013 00:00:00 GMT"),
        (name: "x-amz-storage-class", value: "REDUCED_REDUNDANCY"),
      ],
      payload: try .sha256(of: Array("Welcome to Amazon S3.".utf8)), date: Self.date)
    #expect(
      authorizationSignature(headers)
        == "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")
  }

  @Test(arguments: [
    ("lifecycle", "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"),
    ("max-keys=2&prefix=J", "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"),
  ])
  func bucketExamples(query: String, signature: String) throws {
    let headers = try Self.signer.sign(
      method: "GET", rawPath: "/", rawQuery: query, headers: [Self.host], payload: .emptyBody,
      date: Self.date)
    #expect(authorizationSignature(headers) == signature)
  }

  @Test func signingKeyExampleFromTheIAMDocumentation() throws {
    let signer = SigV4Signer(
      accessKey: "AKIDEXAMPLE", secretKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
      region: "us-east-1", service: "iam")
    #expect(
      hex(try signer.signingKey(dateStamp: "20120215"))
        == "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d")
  }

  @Test func theKeptSigningKeyFollowsEveryPartOfTheScope() throws {
    let signer = SigV4Signer(
      accessKey: "AKIDEXAMPLE", secretKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
      region: "us-east-1", service: "iam")
    let expected = "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"
    var others = [signer, signer, signer]
    others[0].secretKey = "other"
    others[1].region = "eu-west-1"
    others[2].service = "s3"
    var keys: Set<String> = [expected]
    for other in others {
      #expect(hex(try signer.signingKey(dateStamp: "20120215")) == expected)
      keys.insert(hex(try other.signingKey(dateStamp: "20120215")))
      #expect(hex(try signer.signingKey(dateStamp: "20120215")) == expected)
    }
    keys.insert(hex(try signer.signingKey(dateStamp: "20120216")))
    #expect(hex(try signer.signingKey(dateStamp: "20120215")) == expected)
    #expect(keys.count == 5)
  }

  @Test func replacesStaleSigningHeaders() throws {
    let fresh = try Self.signer.sign(
      method: "GET", rawPath: "/test.txt", rawQuery: nil, headers: [Self.host],
      payload: .emptyBody, date: Self.date)
    let resigned = try Self.signer.sign(
      method: "GET", rawPath: "/test.txt", rawQuery: nil,
      headers: fresh.map { ($0.name.uppercased(), $0.value) }.map { (name: $0.0, value: $0.1) }
        .filter { $0.name == "HOST" || $0.name == "AUTHORIZATION" || $0.name == "X-AMZ-DATE" },
      payload: .emptyBody, date: Self.date)
    #expect(resigned.count == 4)
    #expect(authorizationSignature(resigned) == authorizationSignature(fresh))
  }

  @Test func rawPathRequestNeedsHost() {
    #expect(throws: SigningError.missingHost) {
      try Self.signer.sign(
        method: "GET", rawPath: "/", rawQuery: nil, headers: [], payload: .emptyBody,
        date: Self.date)
    }
  }

  @Test(arguments: ["abc", String(repeating: "g", count: 64), String(repeating: "a", count: 63)])
  func rejectsMalformedPayloadHash(_ hash: String) {
    #expect(throws: SigningError.invalidPayloadHash(hash)) {
      try SigV4Signer.Payload.sha256(hash).headerValue()
    }
  }

  @Test func payloadHeaderValues() throws {
    #expect(try SigV4Signer.Payload.unsigned.headerValue() == "UNSIGNED-PAYLOAD")
    #expect(try SigV4Signer.Payload.emptyBody.headerValue() == SigV4Signer.Payload.emptySHA256)
    #expect(try SigV4Signer.Payload.sha256(of: []) == .sha256(SigV4Signer.Payload.emptySHA256))
    #expect(
      try SigV4Signer.Payload.sha256(SigV4Signer.Payload.emptySHA256.uppercased()).headerValue()
        == SigV4Signer.Payload.emptySHA256)
  }

  @Test(arguments: [
    ("https://h.example/x", "h.example"),
    ("https://H.Example:443/x", "h.example"),
    ("http://h.example:80/x", "h.example"),
    ("http://h.example:443/x", "h.example:443"),
    ("https://h.example:8443/x", "h.example:8443"),
    ("http://[::1]:8080/x", "[::1]:8080"),
  ])
  func hostHeaderFromURL(url: String, host: String) throws {
    let headers = try Self.signer.sign(
      method: "GET", url: try #require(URL(string: url)), payload: .emptyBody, date: Self.date)
    #expect(headers.first { $0.name == "Host" }?.value == host)
  }

  @Test func keepsAHostTheCallerGave() throws {
    let url = try #require(URL(string: "http://127.0.0.1:9000/io/a"))
    let headers = try Self.signer.sign(
      method: "GET", url: url, headers: [(name: "host", value: "cells.example.com")],
      payload: .emptyBody, date: Self.date)
    #expect(headers.filter { $0.name.lowercased() == "host" }.map(\.value) == ["cells.example.com"])
  }

  private func authorizationSignature(_ headers: [(name: String, value: String)]) -> String? {
    headers.first { $0.name == "Authorization" }.map { String($0.value.suffix(64)) }
  }
}

// Tests for the canonical URI, query and headers of SigV4 (the parts botocore cannot disagree on).
import Testing

@testable import S3Kit

@Suite struct CanonicalFormTests {
  @Test(arguments: [
    ("", "/"),
    ("/", "/"),
    ("/io/a%20b/c%2Bd", "/io/a%20b/c%2Bd"),
    ("/io/a b/c+d", "/io/a%20b/c%2Bd"),  // unencoded input is encoded as a server would
    ("/io/%7e%41", "/io/~A"),  // unreserved escapes are decoded, lowercase hex accepted
    ("/io/x%2Fy", "/io/x%2Fy"),  // an encoded slash inside a segment stays one segment
    ("/io/./a/../b//c", "/io/./a/../b//c"),  // no normalisation for S3
    ("/io/100%", "/io/100%25"),  // a lone % is literal
    ("/io/caf%C3%A9", "/io/caf%C3%A9"),
  ])
  func canonicalPath(raw: String, canonical: String) {
    #expect(URIEncoding.canonicalPath(raw) == canonical)
  }

  @Test(
    arguments: [
      (nil, ""),
      ("", ""),
      ("list-type=2&prefix=a%20b%2F&delimiter=%2F", "delimiter=%2F&list-type=2&prefix=a%20b%2F"),
      ("prefix=a/b", "prefix=a%2Fb"),  // "/" is encoded in queries
      ("uploads", "uploads="),
      ("b=&a", "a=&b="),
      ("a=2&a=10&a=1", "a=1&a=10&a=2"),  // same name: by value, byte order
      ("b=1&B=1&_=1", "B=1&_=1&b=1"),  // byte order, uppercase first
      ("q=a+b", "q=a%20b"),  // "+" means space, as Go's ParseQuery reads it (minio)
      ("q=%2B&&r=%7E", "q=%2B&r=~"),
    ] as [(String?, String)])
  func canonicalQuery(raw: String?, canonical: String) {
    #expect(URIEncoding.canonicalQuery(raw) == canonical)
  }

  @Test func canonicalHeaders() {
    let request = SigV4Signer.canonicalRequest(
      method: "get", rawPath: "/", rawQuery: nil,
      headers: [
        (name: "X-Amz-Meta-B", value: "  two   spaces\tand\r\ntab "),
        (name: "x-amz-meta-a", value: "first"),
        (name: "X-AMZ-META-A", value: " second "),
        (name: "Host", value: "h"),
      ],
      payloadHash: "UNSIGNED-PAYLOAD")
    #expect(
      request == """
        GET
        /

        host:h
        x-amz-meta-a:first,second
        x-amz-meta-b:two spaces and tab

        host;x-amz-meta-a;x-amz-meta-b
        UNSIGNED-PAYLOAD
        """)
  }

  @Test func unsignedHeadersAreLeftOut() throws {
    let signer = SigV4Signer(accessKey: "AK", secretKey: "SK")
    let headers = try signer.sign(
      method: "PUT", rawPath: "/io/a", rawQuery: nil,
      headers: [
        (name: "Host", value: "h"), (name: "User-Agent", value: "curl"),
        (name: "Expect", value: "100-continue"), (name: "Content-Length", value: "5"),
      ],
      payload: .unsigned, date: .init(timeIntervalSince1970: 0))
    let authorization = try SigV4Authorization(parsing: headers.last!.value)
    #expect(
      authorization.signedHeaders == [
        "content-length", "host", "x-amz-content-sha256", "x-amz-date",
      ])
  }
}

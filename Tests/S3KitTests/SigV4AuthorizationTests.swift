// Tests for parsing and writing the SigV4 Authorization header.
import Testing

@testable import S3Kit

@Suite struct SigV4AuthorizationTests {
  static let example =
    "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
    + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
    + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"

  @Test func parsesAndWritesBack() throws {
    let authorization = try SigV4Authorization(parsing: Self.example)
    #expect(
      authorization
        == SigV4Authorization(
          accessKey: "AKIAIOSFODNN7EXAMPLE", date: "20130524", region: "us-east-1", service: "s3",
          signedHeaders: ["host", "range", "x-amz-content-sha256", "x-amz-date"],
          signature: "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"))
    #expect(authorization.headerValue == Self.example)
  }

  @Test func acceptsCompactCommasAndSlashesInTheKey() throws {
    let compact = Self.example.replacingOccurrences(of: ", ", with: ",")
      .replacingOccurrences(of: "AKIAIOSFODNN7EXAMPLE", with: "a/b")
    let authorization = try SigV4Authorization(parsing: compact)
    #expect(authorization.accessKey == "a/b")
    #expect(authorization.region == "us-east-1")
  }

  @Test func readsUppercaseSignaturesAndKeysBeyondASCII() throws {
    let header = Self.example.replacingOccurrences(of: "AKIAIOSFODNN7EXAMPLE", with: "clé ü")
      .replacingOccurrences(of: "f0e8bdb87c964420", with: "F0E8BDB87C964420")
    let authorization = try SigV4Authorization(parsing: header)
    #expect(authorization.accessKey == "clé ü")
    #expect(authorization.signature == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
  }

  static let zeros = String(repeating: "0", count: 64)

  @Test(arguments: [
    "",
    "AWS4-HMAC-SHA1 Credential=a/20130524/r/s/aws4_request, SignedHeaders=host, Signature=" + zeros,
    "AWS4-HMAC-SHA256 Credential=a/20130524/r/s/aws4_request, SignedHeaders=host",
    "AWS4-HMAC-SHA256 Credential=a/2013052/r/s/aws4_request, SignedHeaders=host, Signature="
      + zeros,
    "AWS4-HMAC-SHA256 Credential=a/20130524/r/s/aws5_request, SignedHeaders=host, Signature="
      + zeros,
    "AWS4-HMAC-SHA256 Credential=/20130524/r/s/aws4_request, SignedHeaders=host, Signature="
      + zeros,
    "AWS4-HMAC-SHA256 Credential=a/20130524/r/s/aws4_request, SignedHeaders=, Signature=" + zeros,
    "AWS4-HMAC-SHA256 Credential=a/20130524/r/s/aws4_request, SignedHeaders=host, Signature=xyz",
    // Digits and hex digits are ASCII ones only.
    "AWS4-HMAC-SHA256 Credential=a/２0130524/r/s/aws4_request, SignedHeaders=host, Signature=" + zeros,
    "AWS4-HMAC-SHA256 Credential=a/20130524/r/s/aws4_request, SignedHeaders=host, Signature=０"
      + zeros.dropFirst(),
  ])
  func rejectsMalformed(_ header: String) {
    #expect {
      try SigV4Authorization(parsing: header)
    } throws: { error in
      guard case .malformedAuthorization? = error as? SigningError else { return false }
      return true
    }
  }
}

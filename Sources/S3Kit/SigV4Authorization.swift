// S3Kit: the SigV4 Authorization header, written by the signer and parsed by the verifier.

/// The parts of an `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` header.
public struct SigV4Authorization: Equatable, Sendable {
  /// The access key id (for Cells, the bearer token).
  public var accessKey: String
  /// The scope date, "yyyyMMdd".
  public var date: String
  /// The scope region.
  public var region: String
  /// The scope service.
  public var service: String
  /// The signed header names, lowercased and sorted.
  public var signedHeaders: [String]
  /// The signature in lowercase hex.
  public var signature: String

  /// Collects the parts of a header.
  public init(
    accessKey: String, date: String, region: String, service: String, signedHeaders: [String],
    signature: String
  ) {
    self.accessKey = accessKey
    self.date = date
    self.region = region
    self.service = service
    self.signedHeaders = signedHeaders
    self.signature = signature
  }

  /// Parses an `Authorization` header value.
  ///
  /// Throws `SigningError.malformedAuthorization` when it
  /// is not SigV4. Commas may or may not be followed by spaces; the access key may itself contain
  /// "/" because the scope is read from the right.
  public init(parsing header: String) throws {
    let algorithm = SigV4Signer.algorithm
    guard header.hasPrefix(algorithm + " ") else {
      throw SigningError.malformedAuthorization(reason: "it does not start with \(algorithm)")
    }
    // Read as bytes: every separator is ASCII, so each cut falls between characters, and a
    // server parses this header on every request.
    var fields: [Substring: Substring] = [:]
    for field in header.utf8.dropFirst(algorithm.utf8.count).split(separator: Self.comma) {
      let trimmed = field.drop { $0 == UInt8(ascii: " ") }
      let equals = trimmed.firstIndex(of: UInt8(ascii: "=")) ?? trimmed.endIndex
      let value = equals == trimmed.endIndex ? trimmed[equals...] : trimmed[trimmed.index(after: equals)...]
      fields[Substring(trimmed[..<equals])] = Substring(value)
    }
    guard let credential = fields["Credential"], let signed = fields["SignedHeaders"],
      let signature = fields["Signature"]
    else {
      throw SigningError.malformedAuthorization(
        reason: "it needs Credential, SignedHeaders and Signature")
    }
    let scope = credential.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
    guard scope.count >= 5, scope.last.map(Substring.init) == "aws4_request", !scope[0].isEmpty,
      case let date = scope[scope.count - 4], date.count == 8, date.allSatisfy(Self.isDigit)
    else {
      throw SigningError.malformedAuthorization(
        reason: "Credential is not key/yyyyMMdd/region/service/aws4_request")
    }
    let names = signed.utf8.split(separator: UInt8(ascii: ";")).map { Substring($0).lowercased() }
    guard !names.isEmpty else {
      throw SigningError.malformedAuthorization(reason: "SignedHeaders is empty")
    }
    guard signature.utf8.count == 64, signature.utf8.allSatisfy(Self.isHexDigit) else {
      throw SigningError.malformedAuthorization(reason: "Signature is not 64 hex digits")
    }
    let key = credential.utf8[..<scope[scope.count - 4].startIndex].dropLast()
    self.init(
      accessKey: String(Substring(key)), date: String(Substring(date)),
      region: String(Substring(scope[scope.count - 3])), service: String(Substring(scope[scope.count - 2])),
      signedHeaders: names, signature: signature.lowercased())
  }

  private static let comma = UInt8(ascii: ",")

  private static func isDigit(_ byte: UInt8) -> Bool {
    (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
  }

  private static func isHexDigit(_ byte: UInt8) -> Bool {
    isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte | 0x20)
  }

  /// The header value, in the form AWS documents and botocore writes.
  public var headerValue: String {
    "\(SigV4Signer.algorithm) Credential=\(accessKey)/\(date)/\(region)/\(service)/aws4_request, "
      + "SignedHeaders=\(signedHeaders.joined(separator: ";")), Signature=\(signature)"
  }
}

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
    var fields: [String: String] = [:]
    for field in header.dropFirst(algorithm.count).split(separator: ",") {
      let trimmed = field.drop { $0 == " " }
      let name = trimmed.prefix { $0 != "=" }
      fields[String(name)] = String(trimmed.dropFirst(name.count + 1))
    }
    guard let credential = fields["Credential"], let signed = fields["SignedHeaders"],
      let signature = fields["Signature"]
    else {
      throw SigningError.malformedAuthorization(
        reason: "it needs Credential, SignedHeaders and Signature")
    }
    let scope = credential.split(separator: "/", omittingEmptySubsequences: false)
    guard scope.count >= 5, scope.last == "aws4_request", scope[scope.count - 4].count == 8,
      scope[scope.count - 4].allSatisfy(\.isASCIIDigit), !scope[0].isEmpty
    else {
      throw SigningError.malformedAuthorization(
        reason: "Credential is not key/yyyyMMdd/region/service/aws4_request")
    }
    let names = signed.split(separator: ";").map { $0.lowercased() }
    guard !names.isEmpty else {
      throw SigningError.malformedAuthorization(reason: "SignedHeaders is empty")
    }
    guard signature.count == 64, signature.allSatisfy(\.isHexDigit) else {
      throw SigningError.malformedAuthorization(reason: "Signature is not 64 hex digits")
    }
    self.init(
      accessKey: scope.dropLast(4).joined(separator: "/"), date: String(scope[scope.count - 4]),
      region: String(scope[scope.count - 3]), service: String(scope[scope.count - 2]),
      signedHeaders: names, signature: signature.lowercased())
  }

  /// The header value, in the form AWS documents and botocore writes.
  public var headerValue: String {
    "\(SigV4Signer.algorithm) Credential=\(accessKey)/\(date)/\(region)/\(service)/aws4_request, "
      + "SignedHeaders=\(signedHeaders.joined(separator: ";")), Signature=\(signature)"
  }
}

extension Character {
  fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}

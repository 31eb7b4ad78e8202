// S3Kit: checks a received request's SigV4 signature, for the test server (CellsSandbox).

/// Recomputes the signature of a received request from its `Authorization` header and compares.
///
/// It checks the signature only: the server decides separately whether the access key is valid,
/// whether `x-amz-date` is fresh, and whether the body matches `x-amz-content-sha256`.
public enum SigV4Verifier {
  /// Whether the request's signature matches one computed with `secretKey`.
  ///
  /// `rawPath` and `rawQuery` are the request target as received (still percent-encoded, query
  /// without "?"); `headers` are all received headers. Throws `SigningError` when the request is
  /// not SigV4-signed at all (no or a malformed `Authorization`, no `x-amz-date` or
  /// `x-amz-content-sha256`). Returns false when the signature differs, when a signed header is
  /// missing, when `host` is not signed, or when the scope date is not the `x-amz-date` day.
  public static func verify(
    method: String, rawPath: String, rawQuery: String?, headers: [(name: String, value: String)],
    secretKey: String
  ) throws -> Bool {
    guard let header = value(of: "authorization", in: headers) else {
      throw SigningError.missingHeader("authorization")
    }
    return try verify(
      method: method, rawPath: rawPath, rawQuery: rawQuery, headers: headers,
      authorization: try SigV4Authorization(parsing: header), secretKey: secretKey)
  }

  /// Whether the request's signature matches, given its `Authorization` header already parsed
  /// (a server reads it first to find the user).
  ///
  /// Otherwise as `verify(method:rawPath:rawQuery:headers:secretKey:)`.
  public static func verify(
    method: String, rawPath: String, rawQuery: String?, headers: [(name: String, value: String)],
    authorization: SigV4Authorization, secretKey: String
  ) throws -> Bool {
    guard let amzDate = value(of: "x-amz-date", in: headers) else {
      throw SigningError.missingHeader("x-amz-date")
    }
    guard let payloadHash = value(of: "x-amz-content-sha256", in: headers) else {
      throw SigningError.missingHeader("x-amz-content-sha256")
    }
    guard authorization.signedHeaders.contains("host"), amzDate.hasPrefix(authorization.date)
    else { return false }

    let signedNames = Set(authorization.signedHeaders)
    let signed = headers.filter { signedNames.contains($0.name.lowercased()) }
    guard SigV4Signer.signedHeaderNames(signed) == authorization.signedHeaders.sorted() else {
      return false
    }
    let signer = SigV4Signer(
      accessKey: authorization.accessKey, secretKey: secretKey, region: authorization.region,
      service: authorization.service)
    let canonical = SigV4Signer.canonicalRequest(
      method: method, rawPath: rawPath, rawQuery: rawQuery, headers: signed,
      payloadHash: payloadHash)
    let expected = try SigV4Signer.signature(
      stringToSign: try signer.stringToSign(canonicalRequest: canonical, amzDate: amzDate),
      signingKey: try signer.signingKey(dateStamp: authorization.date))
    return constantTimeEqual(expected, authorization.signature)
  }

  /// The first value of header `name` (lowercase), compared case-insensitively.
  private static func value(of name: String, in headers: [(name: String, value: String)])
    -> String?
  {
    headers.first { $0.name.lowercased() == name }?.value
  }

  /// Compares without stopping at the first difference, so response timing does not reveal how
  /// much of a forged signature was right.
  private static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
    let (x, y) = (Array(a.utf8), Array(b.utf8))
    guard x.count == y.count else { return false }
    return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
  }
}

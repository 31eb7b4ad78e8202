// S3Kit: the four SigV4 steps, named as in the AWS documentation ("Create a signed AWS API request").
import HashKit

extension SigV4Signer {
  /// Step 1, the canonical request: method, canonical URI, canonical query, canonical headers, the
  /// signed-header list and the payload hash, one per line.
  ///
  /// `headers` are exactly the headers to sign (no filtering happens here, so a verifier can pass
  /// the ones a client listed); names are lowercased, values trimmed with inner runs of whitespace
  /// collapsed, repeated names joined with ",".
  public static func canonicalRequest(
    method: String, rawPath: String, rawQuery: String?, headers: [(name: String, value: String)],
    payloadHash: String
  ) -> String {
    let grouped = canonicalHeaderGroups(headers)
    return [
      method.uppercased(),
      URIEncoding.canonicalPath(rawPath),
      URIEncoding.canonicalQuery(rawQuery),
      grouped.map { "\($0.name):\($0.value)\n" }.joined(),
      grouped.map(\.name).joined(separator: ";"),
      payloadHash,
    ].joined(separator: "\n")
  }

  /// The sorted, lowercased, distinct names of `headers`, as listed in `SignedHeaders`.
  public static func signedHeaderNames(_ headers: [(name: String, value: String)]) -> [String] {
    canonicalHeaderGroups(headers).map(\.name)
  }

  /// The credential scope: "yyyyMMdd/region/service/aws4_request".
  public func credentialScope(dateStamp: String) -> String {
    "\(dateStamp)/\(region)/\(service)/aws4_request"
  }

  /// Step 2, the string to sign: algorithm, `amzDate`, credential scope (its date is the first
  /// eight characters of `amzDate`) and the hex SHA-256 of the canonical request.
  public func stringToSign(canonicalRequest: String, amzDate: String) throws -> String {
    [
      Self.algorithm,
      amzDate,
      credentialScope(dateStamp: String(amzDate.prefix(8))),
      try SHA256.hash(canonicalRequest).hex,
    ].joined(separator: "\n")
  }

  /// Step 3, the signing key: HMAC-SHA256 chained over date, region, service and "aws4_request",
  /// starting from "AWS4" + secret key.
  ///
  /// The last key made is kept: it changes once a day, and deriving it is four of the five HMACs
  /// of each request signed or checked.
  public func signingKey(dateStamp: String) throws -> [UInt8] {
    let scope = SigningKeyCache.Scope(
      secretKey: secretKey, dateStamp: dateStamp, region: region, service: service)
    if let key = SigningKeyCache.shared.key(for: scope) { return key }
    var key = Array(("AWS4" + secretKey).utf8)
    for part in [dateStamp, region, service, "aws4_request"] {
      key = try HMACSHA256.authenticationCode(for: part, key: key).bytes
    }
    SigningKeyCache.shared.keep(key, for: scope)
    return key
  }

  /// Step 4, the signature: hex HMAC-SHA256 of the string to sign under the signing key.
  public static func signature(stringToSign: String, signingKey: [UInt8]) throws -> String {
    try HMACSHA256.authenticationCode(for: stringToSign, key: signingKey).hex
  }

  /// Lowercased names, sorted, each with its canonical value (repeats joined with ",").
  private static func canonicalHeaderGroups(_ headers: [(name: String, value: String)])
    -> [(name: String, value: String)]
  {
    var values: [String: [String]] = [:]
    for header in headers {
      values[header.name.lowercased(), default: []].append(trimAll(header.value))
    }
    return values.keys.sorted().map { (name: $0, value: values[$0]!.joined(separator: ",")) }
  }

  /// SigV4's Trimall: strips leading and trailing whitespace and collapses inner runs to one space.
  ///
  /// Works on Unicode scalars with the Unicode White_Space property, as botocore (`str.split()`)
  /// and minio (`strings.Fields`) do, and so that "\r\n", one Swift Character, is still split.
  private static func trimAll(_ value: String) -> String {
    if let ascii = trimAllASCII(value) { return ascii }
    var words: [String] = []
    var word = String.UnicodeScalarView()
    for scalar in value.unicodeScalars {
      if scalar.properties.isWhitespace {
        if !word.isEmpty { words.append(String(word)) }
        word = String.UnicodeScalarView()
      } else {
        word.append(scalar)
      }
    }
    if !word.isEmpty { words.append(String(word)) }
    return words.joined(separator: " ")
  }

  /// Trimall of an ASCII value, byte by byte (the usual case, run on every request); nil for a
  /// value with other characters, whose whitespace Unicode defines.
  private static func trimAllASCII(_ value: String) -> String? {
    func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
    var value = value
    return value.withUTF8 { bytes -> String? in
      guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
      var words: [UInt8] = []
      words.reserveCapacity(bytes.count)
      var pendingSpace = false
      for byte in bytes {
        if isSpace(byte) {
          pendingSpace = !words.isEmpty
        } else {
          if pendingSpace { words.append(0x20) }
          pendingSpace = false
          words.append(byte)
        }
      }
      return String(decoding: words, as: UTF8.self)
    }
  }
}

// CellsSandbox: the S3 errors the gateway answers with, as standard S3 XML.

/// An S3 error: its code, HTTP status and message (docs/cells-protocol.md, "Errors").
enum S3Error: Error, Equatable {
  case accessDenied(String)
  case signatureDoesNotMatch
  case authorizationHeaderMalformed(String)
  case requestTimeTooSkewed
  case noSuchBucket
  case noSuchKey
  case noSuchUpload
  case noSuchVersion
  case invalidRange
  case invalidPart
  case invalidPartOrder
  case entityTooSmall
  case badDigest
  case contentSHA256Mismatch
  case malformedXML
  case invalidRequest(String)
  case notImplemented(String)
  case internalError(String)
  case serviceUnavailable
  /// "Reduce your request rate", as S3 servers throttle (503 SlowDown).
  case slowDown

  var code: String {
    switch self {
    case .accessDenied: "AccessDenied"
    case .signatureDoesNotMatch: "SignatureDoesNotMatch"
    case .authorizationHeaderMalformed: "AuthorizationHeaderMalformed"
    case .requestTimeTooSkewed: "RequestTimeTooSkewed"
    case .noSuchBucket: "NoSuchBucket"
    case .noSuchKey: "NoSuchKey"
    case .noSuchUpload: "NoSuchUpload"
    case .noSuchVersion: "NoSuchVersion"
    case .invalidRange: "InvalidRange"
    case .invalidPart: "InvalidPart"
    case .invalidPartOrder: "InvalidPartOrder"
    case .entityTooSmall: "EntityTooSmall"
    case .badDigest: "BadDigest"
    case .contentSHA256Mismatch: "XAmzContentSHA256Mismatch"
    case .malformedXML: "MalformedXML"
    case .invalidRequest: "InvalidRequest"
    case .notImplemented: "NotImplemented"
    case .internalError: "InternalError"
    case .serviceUnavailable: "ServiceUnavailable"
    case .slowDown: "SlowDown"
    }
  }

  var status: Int {
    switch self {
    case .accessDenied, .signatureDoesNotMatch, .requestTimeTooSkewed: 403
    case .noSuchBucket, .noSuchKey, .noSuchUpload, .noSuchVersion: 404
    case .invalidRange: 416
    case .authorizationHeaderMalformed, .invalidPart, .invalidPartOrder, .entityTooSmall,
      .badDigest, .contentSHA256Mismatch, .malformedXML, .invalidRequest:
      400
    case .notImplemented: 501
    case .internalError: 500
    case .serviceUnavailable, .slowDown: 503
    }
  }

  var message: String {
    switch self {
    case .accessDenied(let m), .authorizationHeaderMalformed(let m), .invalidRequest(let m),
      .notImplemented(let m), .internalError(let m):
      m
    case .signatureDoesNotMatch:
      "The request signature we calculated does not match the signature you provided."
    case .requestTimeTooSkewed: "The difference between the request time and the server's time is too large."
    case .noSuchBucket: "The specified bucket does not exist."
    case .noSuchKey: "The specified key does not exist."
    case .noSuchUpload: "The specified multipart upload does not exist."
    case .noSuchVersion: "The specified version does not exist."
    case .invalidRange: "The requested range is not satisfiable."
    case .invalidPart: "One or more of the specified parts could not be found."
    case .invalidPartOrder: "The list of parts was not in ascending order."
    case .entityTooSmall: "Your proposed upload is smaller than the minimum allowed object size."
    case .badDigest: "The Content-MD5 or checksum you specified did not match what we received."
    case .contentSHA256Mismatch: "The provided 'x-amz-content-sha256' header does not match what was computed."
    case .malformedXML: "The XML you provided was not well-formed."
    case .serviceUnavailable: "The service is unavailable. Please retry."
    case .slowDown: "Please reduce your request rate."
    }
  }

  /// The S3 form of a store or REST-layer failure.
  static func from(_ error: any Error) -> S3Error {
    if let s3 = error as? S3Error { return s3 }
    switch error as? SandboxError {
    case .forbidden(let m): return .accessDenied(m)
    case .unauthorized: return .accessDenied("Access Denied.")
    case .notFound: return .noSuchKey
    case .typeConflict(let m): return .invalidRequest(m)
    case .badInput(let m): return .invalidRequest(m)
    case .injected(let status): return status == 503 ? .serviceUnavailable : .internalError("Injected failure")
    case .internalError(let m): return .internalError(m)
    case .locked(let m): return .accessDenied(m)
    case .notImplemented(let m): return .notImplemented(m)
    case nil: return .internalError("\(error)")
    }
  }
}

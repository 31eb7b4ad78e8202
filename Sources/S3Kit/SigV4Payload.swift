// S3Kit: what a signed request says about its body (the x-amz-content-sha256 header).
import HashKit

extension SigV4Signer {
  /// How the body is covered by the signature: the value of `x-amz-content-sha256`.
  public enum Payload: Sendable, Equatable {
    /// The body is not signed ("UNSIGNED-PAYLOAD"), for uploads streamed without a first pass.
    case unsigned
    /// The body's SHA-256 in hex, computed beforehand.
    case sha256(String)
    /// No body (GET, HEAD, DELETE): the SHA-256 of empty input.
    case emptyBody

    /// The SHA-256 of empty input, in hex.
    public static let emptySHA256 =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// The payload of a body held in memory: its SHA-256.
    public static func sha256(of body: [UInt8]) throws -> Payload {
      .sha256(try SHA256.hash(body).hex)
    }

    /// The `x-amz-content-sha256` value.
    ///
    /// Throws `SigningError.invalidPayloadHash` for a `.sha256`
    /// that is not 64 hex digits; uppercase hex is lowercased, as the canonical form wants.
    public func headerValue() throws -> String {
      switch self {
      case .unsigned:
        return "UNSIGNED-PAYLOAD"
      case .emptyBody:
        return Self.emptySHA256
      case .sha256(let hex):
        guard hex.utf8.count == 64, hex.utf8.allSatisfy({ $0.isHexDigit }) else {
          throw SigningError.invalidPayloadHash(hex)
        }
        return hex.lowercased()
      }
    }
  }
}

extension UInt8 {
  fileprivate var isHexDigit: Bool {
    (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self)
      || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(self)
      || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(self)
  }
}

// AgeKit: the one error type of the module, worded for the user and free of any secret.
import Foundation

/// A failure to encrypt, decrypt or parse in the age format.
///
/// No case carries key material, passphrases or file content: a bad line of a key file is named by
/// its number only, because the line may be a secret key with a typo in it.
public enum AgeError: Error, Equatable, Sendable {
  /// The data does not start with an age header (an ASCII-armored file is not read either).
  case notAgeFile
  /// The header names an age format version other than v1.
  case unsupportedVersion
  /// The header breaks the format; the text says how, without quoting the header.
  case malformedHeader(String)
  /// None of the identities can unwrap the file key.
  case noMatchingIdentity
  /// The file is encrypted with a passphrase, and no passphrase was given.
  case passphraseRequired
  /// The passphrase does not unwrap the file key.
  case wrongPassphrase
  /// A passphrase recipient was combined with other recipients, which age forbids.
  case passphraseMixedWithRecipients
  /// The scrypt work factor (log2 of N) is above the allowed maximum.
  case workFactorTooHigh(Int, max: Int)
  /// The header MAC does not match: the header was changed or damaged.
  case headerMACMismatch
  /// A payload chunk (counted from 0) failed authentication.
  case damaged(chunk: Int64)
  /// The data ends before the end of the encrypted payload.
  case truncated
  /// Data follows the final chunk of the payload.
  case trailingData
  /// A recipient cannot be parsed; `line` is its line number in a recipients file.
  case invalidRecipient(line: Int?)
  /// An identity cannot be parsed; `line` is its line number in an identity file.
  case invalidIdentity(line: Int?)
  /// There is no recipient to encrypt to.
  case noRecipients
  /// An identity file holds no identity.
  case noIdentities
}

extension AgeError: LocalizedError {
  /// A one-line description for the user.
  public var errorDescription: String? {
    switch self {
    case .notAgeFile: "not an age-encrypted file"
    case .unsupportedVersion: "the file uses an age format version this program does not know (only v1)"
    case .malformedHeader(let reason): "the age header is malformed: \(reason)"
    case .noMatchingIdentity: "none of the given identities can decrypt this file"
    case .passphraseRequired: "the file is encrypted with a passphrase, not to a key"
    case .wrongPassphrase: "wrong passphrase"
    case .passphraseMixedWithRecipients: "a passphrase cannot be combined with other recipients"
    case .workFactorTooHigh(let workFactor, let max):
      "the scrypt work factor 2^\(workFactor) is above the allowed maximum 2^\(max)"
    case .headerMACMismatch: "the age header failed authentication: the file was changed or damaged"
    case .damaged(let chunk):
      "chunk \(chunk) of the encrypted payload failed authentication: the file was changed or damaged"
    case .truncated: "the encrypted file is truncated"
    case .trailingData: "the encrypted file has unexpected data after its end"
    case .invalidRecipient(let line?): "invalid recipient on line \(line)"
    case .invalidRecipient(nil): "invalid recipient"
    case .invalidIdentity(let line?): "invalid identity on line \(line)"
    case .invalidIdentity(nil): "invalid identity"
    case .noRecipients: "no recipients to encrypt to"
    case .noIdentities: "no identities found"
    }
  }
}

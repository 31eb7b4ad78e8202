// AgeKit: wrapping and unwrapping the file key with a passphrase (the scrypt recipient type).
import HashKit

/// The scrypt recipient type of age v1.
///
/// The file key is encrypted under scrypt(passphrase, "age-encryption.org/v1/scrypt" || salt,
/// N = 2^workFactor, r = 8, p = 1); the work factor is written in the stanza, so a reader must cap
/// it before paying for it.
enum ScryptStanza {
  static let type = "scrypt"
  private static let label = Array("age-encryption.org/v1/scrypt".utf8)
  private static let saltSize = 16

  /// The work factors (log2 N) written and accepted: age reads up to 22 by default.
  static let workFactors = 1...22

  /// A stanza wrapping `fileKey` under `passphrase` at `workFactor`.
  static func wrap(fileKey: [UInt8], passphrase: [UInt8], workFactor: Int) throws -> AgeStanza {
    guard workFactor <= workFactors.upperBound else {
      throw AgeError.workFactorTooHigh(workFactor, max: workFactors.upperBound)
    }
    guard workFactor >= workFactors.lowerBound else { throw AgeError.invalidRecipient(line: nil) }
    let salt = try SecureRandom.bytes(saltSize)
    let body = try wrapKey(passphrase: passphrase, salt: salt, workFactor: workFactor).seal(fileKey, nonce: zeroNonce)
    return AgeStanza(arguments: [type, AgeBase64.encodeString(salt), String(workFactor)], body: body)
  }

  /// The salt and work factor of `stanza` (an scrypt stanza), checked against the grammar.
  static func parameters(of stanza: AgeStanza) throws -> (salt: [UInt8], workFactor: Int) {
    guard stanza.arguments.count == 3, let salt = AgeBase64.decode(stanza.arguments[1]), salt.count == saltSize
    else { throw AgeError.malformedHeader("an scrypt stanza has a malformed salt") }
    let digits = stanza.arguments[2].utf8
    // Decimal without leading zeros; a number too large for Int is past any cap, so it saturates.
    guard let first = digits.first, first != UInt8(ascii: "0"),
      digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
    else { throw AgeError.malformedHeader("an scrypt stanza has a malformed work factor") }
    let workFactor = Int(stanza.arguments[2]) ?? Int.max
    guard stanza.body.count == AgeFormat.fileKeySize + AgeFormat.tagSize else {
      throw AgeError.malformedHeader("an scrypt stanza body is not 32 bytes")
    }
    return (salt, workFactor)
  }

  /// The file key in `stanza` under `passphrase`, or nil when the passphrase is wrong.
  ///
  /// Throws `AgeError.workFactorTooHigh` before any work when the stanza asks for more than
  /// `maxWorkFactor`.
  static func unwrap(_ stanza: AgeStanza, passphrase: [UInt8], maxWorkFactor: Int) throws -> [UInt8]? {
    let (salt, workFactor) = try parameters(of: stanza)
    guard workFactor <= maxWorkFactor else { throw AgeError.workFactorTooHigh(workFactor, max: maxWorkFactor) }
    do {
      return try wrapKey(passphrase: passphrase, salt: salt, workFactor: workFactor).open(
        stanza.body, nonce: zeroNonce)
    } catch HashError.authenticationFailed {
      return nil
    }
  }

  private static var zeroNonce: [UInt8] { [UInt8](repeating: 0, count: ChaCha20Poly1305.nonceByteCount) }

  private static func wrapKey(passphrase: [UInt8], salt: [UInt8], workFactor: Int) throws -> ChaCha20Poly1305 {
    let key = try Scrypt.deriveKey(
      password: passphrase, salt: label + salt, logN: workFactor, r: 8, p: 1,
      byteCount: ChaCha20Poly1305.keyByteCount)
    return try ChaCha20Poly1305(key: key)
  }
}

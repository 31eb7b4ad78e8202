// AgeKit: finding the file key of a parsed header with the caller's identities, and checking the MAC.
import HashKit

/// Unwraps the file key of a header and authenticates the header with it.
enum FileKeyUnwrapper {
  /// The file key of `header`, unwrapped with the first identity that matches a stanza, after the
  /// header MAC was checked with it.
  ///
  /// Unknown stanza types are skipped; an scrypt stanza must be alone. Throws `AgeError` when no
  /// identity matches (`.noMatchingIdentity`, `.passphraseRequired`, `.wrongPassphrase`,
  /// `.workFactorTooHigh`), when a stanza is malformed, and `.headerMACMismatch`.
  static func fileKey(of header: AgeHeader, identities: [AgeIdentity]) throws -> [UInt8] {
    let fileKey: [UInt8]
    if header.stanzas.contains(where: { $0.type == ScryptStanza.type }) {
      // The rule upholds what a passphrase implies: whoever knows it wrote the file.
      guard header.stanzas.count == 1 else {
        throw AgeError.malformedHeader("an scrypt stanza is not the only stanza")
      }
      fileKey = try passphraseFileKey(header.stanzas[0], identities: identities)
    } else {
      fileKey = try x25519FileKey(header.stanzas, identities: identities)
    }
    guard try header.isAuthentic(fileKey: fileKey) else { throw AgeError.headerMACMismatch }
    return fileKey
  }

  private static func passphraseFileKey(_ stanza: AgeStanza, identities: [AgeIdentity]) throws -> [UInt8] {
    var tooHigh: AgeError?
    var tried = false
    for case .scrypt(let passphrase, let maxWorkFactor) in identities {
      do {
        tried = true
        if let fileKey = try ScryptStanza.unwrap(stanza, passphrase: passphrase, maxWorkFactor: maxWorkFactor) {
          return fileKey
        }
      } catch let error as AgeError {
        guard case .workFactorTooHigh = error else { throw error }
        tooHigh = error
      }
    }
    if let tooHigh { throw tooHigh }
    throw tried ? AgeError.wrongPassphrase : AgeError.passphraseRequired
  }

  private static func x25519FileKey(_ stanzas: [AgeStanza], identities: [AgeIdentity]) throws -> [UInt8] {
    var keys: [(secret: [UInt8], public: [UInt8])] = []
    for case .x25519(let secretKey) in identities {
      guard secretKey.count == X25519.keyByteCount, let publicKey = try? X25519.publicKey(privateKey: secretKey)
      else { throw AgeError.invalidIdentity(line: nil) }
      keys.append((secretKey, publicKey))
    }
    for stanza in stanzas where stanza.type == X25519Stanza.type {
      for key in keys {
        if let fileKey = try X25519Stanza.unwrap(stanza, secretKey: key.secret, publicKey: key.public) {
          return fileKey
        }
      }
    }
    throw AgeError.noMatchingIdentity
  }
}

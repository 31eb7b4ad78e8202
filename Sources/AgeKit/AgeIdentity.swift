// AgeKit: what decrypts a file: an X25519 secret key ("AGE-SECRET-KEY-1…") or a passphrase.
import HashKit

/// An identity that can decrypt age files: a secret key or a passphrase.
///
/// Its descriptions never show the secret: `description`, `debugDescription` and the mirror used
/// by `dump` are replaced.
public enum AgeIdentity: Sendable {
  /// An X25519 secret key (32 bytes), as in "AGE-SECRET-KEY-1…".
  case x25519(secretKey: [UInt8])
  /// A passphrase; headers asking for an scrypt work factor above `maxWorkFactor` are refused
  /// before any work, since each step up doubles the time and memory they cost.
  case scrypt(passphrase: [UInt8], maxWorkFactor: Int = 22)

  /// Parses one "AGE-SECRET-KEY-1…" secret key (upper-case Bech32, a 32-byte key), surrounding
  /// whitespace ignored.
  ///
  /// Throws `AgeError.invalidIdentity(line: nil)` for anything else.
  public init(parsing text: String) throws {
    guard let (hrp, data) = Bech32.decode(text.trimmingASCIIWhitespace()), hrp == "AGE-SECRET-KEY-",
      data.count == X25519.keyByteCount
    else { throw AgeError.invalidIdentity(line: nil) }
    self = .x25519(secretKey: data)
  }

  /// Parses an identity file as age-keygen writes it: "AGE-SECRET-KEY-1…" lines, '#' comments
  /// and blank lines.
  ///
  /// Throws `AgeError.invalidIdentity(line:)` naming the first bad line by number only (the line
  /// may be a mistyped secret key), and `.noIdentities` when there is none.
  public static func parseFile(_ text: String) throws -> [AgeIdentity] {
    let identities = try KeyFileLines.entries(of: text).map { entry in
      do {
        return try AgeIdentity(parsing: entry.text)
      } catch {
        throw AgeError.invalidIdentity(line: entry.number)
      }
    }
    guard !identities.isEmpty else { throw AgeError.noIdentities }
    return identities
  }

  /// The recipient of an X25519 identity (nil for a passphrase, or a key that is not 32 bytes).
  public var recipient: AgeRecipient? {
    guard case .x25519(let secretKey) = self, let publicKey = try? X25519.publicKey(privateKey: secretKey) else {
      return nil
    }
    return .x25519(publicKey: publicKey)
  }

  /// The "AGE-SECRET-KEY-1…" spelling of an X25519 identity; nil for a passphrase.
  ///
  /// This is the secret itself: write it only where the key belongs (an identity file).
  public var encoded: String? {
    guard case .x25519(let secretKey) = self else { return nil }
    return Bech32.encode(hrp: "age-secret-key-", data: secretKey).uppercased()
  }
}

extension AgeIdentity: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
  /// The identity's public side, or a mention of the passphrase that does not show it.
  public var description: String {
    switch self {
    case .x25519: "identity of \(recipient?.encoded ?? "an invalid key")"
    case .scrypt(_, let maxWorkFactor): "passphrase (scrypt work factor up to \(maxWorkFactor))"
    }
  }

  /// The same as `description`: no secret in debug output either.
  public var debugDescription: String { description }

  /// A mirror with no children, so that `dump` shows no secret.
  public var customMirror: Mirror { Mirror(self, children: [:]) }
}

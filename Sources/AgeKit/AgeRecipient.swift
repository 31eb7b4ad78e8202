// AgeKit: who a file is encrypted to: an X25519 public key ("age1…") or a passphrase.
import HashKit

/// A recipient of an age file: someone who will be able to decrypt it.
///
/// Its descriptions never show a passphrase: `description`, `debugDescription` and the mirror
/// used by `dump` are replaced.
public enum AgeRecipient: Sendable {
  /// An X25519 public key (32 bytes), as in "age1…".
  case x25519(publicKey: [UInt8])
  /// A passphrase, stretched with scrypt at N = 2^workFactor; it must be the only recipient.
  case scrypt(passphrase: [UInt8], workFactor: Int = 18)

  /// Parses one "age1…" recipient (Bech32, HRP "age", a 32-byte key), surrounding whitespace
  /// ignored.
  ///
  /// Throws `AgeError.invalidRecipient(line: nil)` for anything else.
  public init(parsing text: String) throws {
    guard let (hrp, data) = Bech32.decode(text.trimmingASCIIWhitespace()), hrp == "age",
      data.count == X25519.keyByteCount
    else { throw AgeError.invalidRecipient(line: nil) }
    self = .x25519(publicKey: data)
  }

  /// Parses a recipients file: one "age1…" recipient per line, '#' comments and blank lines
  /// ignored.
  ///
  /// Throws `AgeError.invalidRecipient(line:)` naming the first bad line by number only, and
  /// `.noRecipients` when there is none.
  public static func parseFile(_ text: String) throws -> [AgeRecipient] {
    let recipients = try KeyFileLines.entries(of: text).map { entry in
      do {
        return try AgeRecipient(parsing: entry.text)
      } catch {
        throw AgeError.invalidRecipient(line: entry.number)
      }
    }
    guard !recipients.isEmpty else { throw AgeError.noRecipients }
    return recipients
  }

  /// The "age1…" spelling of an X25519 recipient; nil for a passphrase.
  public var encoded: String? {
    guard case .x25519(let publicKey) = self else { return nil }
    return Bech32.encode(hrp: "age", data: publicKey)
  }
}

extension AgeRecipient: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
  /// The recipient's public key, or a mention of the passphrase that does not show it.
  public var description: String {
    switch self {
    case .x25519: encoded ?? "X25519 recipient"
    case .scrypt(_, let workFactor): "passphrase (scrypt work factor \(workFactor))"
    }
  }

  /// The same as `description`: no passphrase in debug output either.
  public var debugDescription: String { description }

  /// A mirror with no children, so that `dump` shows no passphrase.
  public var customMirror: Mirror { Mirror(self, children: [:]) }
}

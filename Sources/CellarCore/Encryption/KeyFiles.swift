// CellarCore: recipients, identities and passphrases as the command line names them: given on
// the command line (public recipients only) or read from files (everything secret).
import AgeKit
import Foundation

/// Reads the keys `--encrypt-to`, `--encrypt-to-file`, `--identity` and `--passphrase-file`
/// name.
///
/// Secrets are only ever read from files, never taken as arguments (which any user can see in
/// the process list), and never appear in a message: a bad line is named by its number.
public enum KeyFiles {
  /// The work factor (log2 of scrypt's N) of a passphrase-encrypted backup: age's own default.
  static let workFactor = 18

  /// The recipients to encrypt a backup to: `recipients` (`age1…`), each line of
  /// `recipientFiles`, and the passphrase in `passphraseFile`.
  ///
  /// - Throws: `CellarError.usage` naming what could not be read or parsed.
  public static func recipients(
    _ recipients: [String], files recipientFiles: [String], passphraseFile: String?
  ) throws -> [AgeRecipient] {
    var all: [AgeRecipient] = []
    for text in recipients {
      do {
        all.append(try AgeRecipient(parsing: text))
      } catch {
        // A secret key pasted by mistake is not repeated (cron mails standard error).
        let shown = text.uppercased().contains("AGE-SECRET-KEY-") ? "a secret key (keep it off command lines)" : text
        throw CellarError.usage("--encrypt-to \(shown): not an age recipient (age1…)")
      }
    }
    for file in recipientFiles {
      all += try parse(file, what: "--encrypt-to-file") { try AgeRecipient.parseFile($0) }
    }
    if let passphraseFile {
      guard all.isEmpty else {
        throw CellarError.usage("--passphrase-file encrypts with a passphrase alone: it cannot join --encrypt-to")
      }
      all.append(.scrypt(passphrase: try passphrase(passphraseFile), workFactor: workFactor))
    }
    return all
  }

  /// The identities to open encrypted archives with: each `identityFiles` file (as `age-keygen`
  /// writes them), and the passphrase in `passphraseFile`.
  public static func identities(files identityFiles: [String], passphraseFile: String?) throws -> [AgeIdentity] {
    var all: [AgeIdentity] = []
    for file in identityFiles {
      all += try parse(file, what: "--identity") { try AgeIdentity.parseFile($0) }
    }
    if let passphraseFile {
      all.append(.scrypt(passphrase: try passphrase(passphraseFile), maxWorkFactor: 22))
    }
    return all
  }

  /// The passphrase in `path`: its first line (without its CR, in a file written on Windows).
  private static func passphrase(_ path: String) throws -> [UInt8] {
    // Bytes, not Characters: Swift takes "\r\n" for one Character, which no "\n" split finds.
    let bytes = Array(try contents(path, what: "--passphrase-file").utf8)
    var passphrase = Array(bytes.prefix { $0 != UInt8(ascii: "\n") })
    if passphrase.last == UInt8(ascii: "\r") { passphrase.removeLast() }
    guard !passphrase.isEmpty else { throw CellarError.usage("--passphrase-file \(path): the first line is empty") }
    return passphrase
  }

  private static func parse<T>(_ path: String, what: String, _ parse: (String) throws -> [T]) throws -> [T] {
    let text = try contents(path, what: what)
    if AgeFormat.isAge(Array(text.utf8.prefix(AgeFormat.magic.count))) {
      throw CellarError.usage("\(what) \(path) is itself encrypted (age -p): decrypt it to a 0600 file first")
    }
    let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
    if what == "--identity", lines.contains(where: { $0.hasPrefix("age1") }) {
      throw CellarError.usage(
        "--identity \(path) holds a recipient (age1…, the public key): give the identity file (AGE-SECRET-KEY-1…)")
    }
    do {
      let parsed = try parse(text)
      guard !parsed.isEmpty else { throw CellarError.usage("\(what) \(path): the file holds no key") }
      return parsed
    } catch let error as AgeError {
      throw CellarError.usage("\(what) \(path): \(error.localizedDescription)")
    }
  }

  /// The file's text; a pipe (`<(pass show …)`) is read to its end too.
  private static func contents(_ path: String, what: String) throws -> String {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw CellarError.usage("\(what) \(path): cannot read the file")
    }
    defer { try? handle.close() }
    guard let data = try? handle.readToEnd() else {
      throw CellarError.usage("\(what) \(path): cannot read the file")
    }
    return String(decoding: data, as: UTF8.self)
  }
}

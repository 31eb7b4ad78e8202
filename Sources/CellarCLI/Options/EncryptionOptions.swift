// CellarCLI: whom a backup is encrypted to.
import AgeKit
import ArgumentParser
import CellarCore

/// `--encrypt-to`, `--encrypt-to-file` and `--passphrase-file` (which also opens an encrypted
/// `--since` base), plus `--identity` for a base encrypted to someone else.
struct EncryptionOptions: ParsableArguments {
  @Option(
    name: .customLong("encrypt-to"),
    help: ArgumentHelp(
      "Encrypt the archive and sidecar to this age recipient, age1… (repeatable); OUTPUT gets .age.",
      valueName: "recipient"))
  var recipients: [String] = []

  @Option(
    name: .customLong("encrypt-to-file"),
    help: ArgumentHelp("Encrypt to each age recipient in this file, one per line (repeatable).", valueName: "file"),
    completion: .file())
  var recipientFiles: [String] = []

  @Option(
    help: ArgumentHelp(
      "Encrypt with the passphrase on this file's first line (age's scrypt); it also opens an encrypted --since base.",
      valueName: "file"), completion: .file())
  var passphraseFile: String?

  @Option(
    name: .customLong("identity"),
    help: ArgumentHelp("An age identity file that opens an encrypted --since base (repeatable).", valueName: "file"),
    completion: .file())
  var identities: [String] = []

  /// Takes from `profile` what no flag gave: the recipients only when no flag named any.
  mutating func fill(from profile: Profile) {
    if !encrypts {
      recipients = profile.strings(.encryptTo)
      recipientFiles = profile.strings(.encryptToFile)
      passphraseFile = profile.string(.passphraseFile)
    }
    if identities.isEmpty { identities = profile.strings(.identity) }
  }

  /// Whether the backup is encrypted.
  var encrypts: Bool { !recipients.isEmpty || !recipientFiles.isEmpty || passphraseFile != nil }

  /// Reads the keys: the recipients are returned, the identities installed (`Keyring`).
  func load() throws -> [AgeRecipient] {
    Keyring.use(try KeyFiles.identities(files: identities, passphraseFile: passphraseFile))
    return try KeyFiles.recipients(recipients, files: recipientFiles, passphraseFile: passphraseFile)
  }
}

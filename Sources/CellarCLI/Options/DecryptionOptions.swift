// CellarCLI: the keys that open encrypted archives and sidecars.
import ArgumentParser
import CellarCore

/// `--identity` and `--passphrase-file`, for every command that reads archives.
struct DecryptionOptions: ParsableArguments {
  @Option(
    name: .customLong("identity"),
    help: ArgumentHelp(
      "An age identity file (as age-keygen writes it) to open encrypted archives with (repeatable).",
      valueName: "file"), completion: .file())
  var identities: [String] = []

  @Option(
    help: ArgumentHelp(
      "A file whose first line is the passphrase of passphrase-encrypted archives.", valueName: "file"),
    completion: .file())
  var passphraseFile: String?

  /// Takes the keys from `profile` when no flag named any.
  mutating func fill(from profile: Profile) {
    guard identities.isEmpty && passphraseFile == nil else { return }
    identities = profile.strings(.identity)
    passphraseFile = profile.string(.passphraseFile)
  }

  /// Reads the keys and makes them the ones encrypted files are opened with.
  func install() throws {
    Keyring.use(try KeyFiles.identities(files: identities, passphraseFile: passphraseFile))
  }
}

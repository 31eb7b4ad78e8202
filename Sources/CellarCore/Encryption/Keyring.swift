// CellarCore: the keys a command was given to open encrypted archives and sidecars.
import AgeKit
import Synchronization

/// The age identities (`--identity`, `--passphrase-file`) of the running command.
///
/// Encrypted files are met deep in reading (a sidecar found beside an archive, the base of an
/// incremental, every backup a prune weighs), so the identities are set once, when the command
/// starts, rather than carried through every reader. Nothing here is ever printed.
public enum Keyring {
  private static let stored = Mutex<[AgeIdentity]>([])

  /// Makes `identities` the ones encrypted files are opened with.
  public static func use(_ identities: [AgeIdentity]) {
    stored.withLock { $0 = identities }
  }

  /// The identities to open `name` with.
  ///
  /// - Throws: `CellarError.usage` when none was given.
  static func identities(for name: String) throws -> [AgeIdentity] {
    let identities = stored.withLock { $0 }
    guard !identities.isEmpty else {
      throw CellarError.usage("\(name) is encrypted (age): give --identity FILE or --passphrase-file FILE")
    }
    return identities
  }
}

// CellarCore: what restore does when a file already exists where it would write (`--on-conflict`).

/// What to do with an archived node whose target path is already taken on the server.
///
/// Existing folders are always merged into: only files (and a file and a folder in each
/// other's place) conflict. A file left by an interrupted upload (`Etag: "temporary"`) is not a
/// conflict: it is replaced.
public enum ConflictPolicy: String, Sendable, CaseIterable {
  /// Keep what is there (the default); an identical file still gets its metadata back, so a
  /// restore run again finishes an interrupted one.
  case skip
  /// Replace the file's content (Cells keeps the node and its Uuid, and a version when enabled).
  case overwrite
  /// Restore beside it as `name (1).ext`, `name (2).ext`…
  case rename
  /// Stop before anything is written.
  case fail

  /// The `n`th alternative to `name`: `plan.pdf` → `plan (n).pdf`; `archive.tar.gz` →
  /// `archive (n).tar.gz`; `.gitignore` → `.gitignore (n)`.
  public static func renamed(_ name: String, attempt n: Int) -> String {
    let bytes = Array(name.utf8)
    // The extension starts at the first dot after a leading one, as users read `a.tar.gz`.
    let start = bytes.first == UInt8(ascii: ".") ? 1 : 0
    guard let dot = bytes[start...].firstIndex(of: UInt8(ascii: ".")), dot > 0 else { return "\(name) (\(n))" }
    let stem = String(decoding: bytes[..<dot], as: UTF8.self)
    let suffix = String(decoding: bytes[dot...], as: UTF8.self)
    return "\(stem) (\(n))\(suffix)"
  }
}

// CellarCore: why a manifest could not be read.

/// A manifest (sidecar or archive member) that cannot be used.
public enum ManifestError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The file could not be opened or read.
  case unreadable(source: String, message: String)
  /// The document is not a cellar manifest, or is damaged; `line` is 1-based when known.
  case malformed(source: String, line: Int?, message: String)
  /// An archive without a manifest member (`.cellar/manifest.json`): not written by cellar.
  case absent(source: String)
  /// A manifest format this version of cellar does not know.
  case unsupportedVersion(source: String, version: Int)

  /// One line for the user.
  public var description: String {
    switch self {
    case .unreadable(let source, let message): "cannot read the manifest \(source): \(message)"
    case .malformed(let source, let line, let message):
      "the manifest \(source) is damaged\(line.map { " (line \($0))" } ?? ""): \(message)"
    case .absent(let source): "\(source) has no manifest (.cellar/manifest.json)"
    case .unsupportedVersion(let source, let version):
      "the manifest \(source) has format \(version); this cellar reads format \(ManifestHeader.currentFormat)"
    }
  }
}

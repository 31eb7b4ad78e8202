// The version cellar reports (`cellar --version`, sidecars, User-Agent).

/// cellar's release version.
enum CellarVersion {
  /// The version string, semantic versioning.
  static let current = "0.1.0"
}

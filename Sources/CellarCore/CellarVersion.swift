// The version cellar reports (`cellar --version`, sidecars, User-Agent).

/// cellar's release version.
public enum CellarVersion {
  /// The version string, semantic versioning.
  public static let current = "0.1.0"
}

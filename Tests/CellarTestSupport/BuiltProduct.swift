// CellarTestSupport: finds the executables `swift build` put beside the test bundle.
import Foundation

/// The executables of this package, as built for the tests (`make test` builds them first).
public enum BuiltProduct {
  /// The path of the built executable `name`, searched upward from the test bundle; `name`
  /// alone (a PATH lookup) when it is not there.
  public static func path(_ name: String) -> String {
    var url = Bundle.main.bundleURL
    while url.path != "/" {
      let candidate = url.appendingPathComponent(name).path
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
      url.deleteLastPathComponent()
    }
    return name
  }
}

// CellarTestSupport: the one scratch folder helper of the tests: a fresh folder under the
// temporary directory, removed when the test is done with it.
import Foundation

/// A fresh, empty folder for one test.
public struct Scratch: Sendable {
  /// The folder.
  public let url: URL

  /// Creates the folder.
  public init() throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent("cellar-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  /// The path of `name` inside the folder.
  public func path(_ name: String) -> String { url.appendingPathComponent(name).path }

  /// Removes the folder and everything in it.
  public func remove() { try? FileManager.default.removeItem(at: url) }
}

/// Runs `body` with a fresh scratch folder and removes it afterwards, even on failure.
public func withScratchDirectory<T>(_ body: (URL) throws -> T) throws -> T {
  let scratch = try Scratch()
  defer { scratch.remove() }
  return try body(scratch.url)
}

/// Runs `body` with a fresh scratch folder and removes it afterwards, even on failure.
public func withScratchDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
  let scratch = try Scratch()
  defer { scratch.remove() }
  return try await body(scratch.url)
}

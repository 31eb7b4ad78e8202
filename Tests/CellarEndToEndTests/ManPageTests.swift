// CellarEndToEndTests: the committed man pages are those the command definitions give today,
// and they render without warnings.
import CellarTestSupport
import Foundation
import Testing

@Suite("man pages")
struct ManPageTests {
  private static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  private static let man = root.appendingPathComponent("man")

  /// The folder of the built executables (`cellar`, `cells-sandbox`, `generate-manual`).
  private static var buildDirectory: String {
    URL(fileURLWithPath: BuiltProduct.path("cellar")).deletingLastPathComponent().path
  }

  private static func pages(in folder: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".1") }.sorted()
  }

  @Test("man/ is what `make man` writes from the current definitions")
  func upToDate() async throws {
    let generator = Self.buildDirectory + "/generate-manual"
    try #require(
      FileManager.default.isExecutableFile(atPath: generator),
      "build it first: swift build --product generate-manual (make test does)")
    let scratch = try Scratch()
    defer { scratch.remove() }
    let script = Self.root.appendingPathComponent("Scripts/man-pages").path
    let run = try await ChildProcess.run(
      "python3", [script, scratch.url.path, "--build-dir", Self.buildDirectory])
    try #require(run.status == 0, "\(run.stderr)")
    let fresh = try Self.pages(in: scratch.url)
    #expect(fresh == (try Self.pages(in: Self.man)), "run make man and commit man/")
    #expect(fresh.contains("cellar.verify.1") && fresh.contains("cells-sandbox.1"))
    for page in fresh {
      let committed = try? String(contentsOf: Self.man.appendingPathComponent(page), encoding: .utf8)
      let current = try String(contentsOf: scratch.url.appendingPathComponent(page), encoding: .utf8)
      #expect(committed == current, "man/\(page) is out of date: run make man and commit it")
    }
  }

  @Test("every page renders without warnings and has its hand-written sections")
  func rendersCleanly() async throws {
    for page in try Self.pages(in: Self.man) {
      let path = Self.man.appendingPathComponent(page).path
      let run = try await ChildProcess.run(
        "man", ["--warnings", "-l", path], environment: ["MANWIDTH": "80", "MANPAGER": "cat", "PAGER": "cat"])
      #expect(run.status == 0, "\(page): \(run.stderr)")
      #expect(run.stderr.isEmpty, "\(page): \(run.stderr)")
      #expect(run.stdout.contains("EXIT STATUS") && run.stdout.contains("EXAMPLES"), "\(page)")
    }
  }
}

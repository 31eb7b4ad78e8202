import Testing

@testable import CellarCore

@Suite("PathFilter and GlobPattern")
struct PathFilterTests {
  static let matches: [(pattern: String, path: String, expected: Bool)] = [
    ("*.pdf", "plan.pdf", true),
    ("*.pdf", "deep/down/plan.pdf", true),
    ("*.pdf", "plan.pdf.bak", false),
    ("docs/*.pdf", "docs/plan.pdf", true),
    ("docs/*.pdf", "docs/sub/plan.pdf", false),
    ("docs/*.pdf", "other/docs/plan.pdf", false),
    ("docs/**/*.pdf", "docs/plan.pdf", true),
    ("docs/**/*.pdf", "docs/a/b/c/plan.pdf", true),
    ("**/cache", "a/b/cache", true),
    ("**", "anything/at/all", true),
    ("report-??.txt", "report-07.txt", true),
    ("report-??.txt", "report-7.txt", false),
    ("[abc]*.log", "b-server.log", true),
    ("[!abc]*.log", "b-server.log", false),
    ("v[0-9].txt", "v7.txt", true),
    ("v[0-9].txt", "vx.txt", false),
    ("caf\u{E9}.txt", "caf\u{E9}.txt", true),
    ("caf\u{E9}.txt", "cafe\u{301}.txt", false),
    (".*", "x/.gitignore", true),
    ("/docs/", "docs", true),
  ]

  @Test("globs match paths below the source", arguments: matches)
  func globs(pattern: String, path: String, expected: Bool) throws {
    #expect(try GlobPattern(pattern).matches(path) == expected)
  }

  @Test("excluded folders take their subtree; includes select files only")
  func filter() throws {
    let filter = try PathFilter(include: ["*.pdf"], exclude: ["tmp", "**/drafts/**"])
    #expect(filter.keeps("docs", isFolder: true))
    #expect(filter.keeps("docs/plan.pdf", isFolder: false))
    #expect(!filter.keeps("docs/notes.txt", isFolder: false))
    #expect(!filter.keeps("a/tmp", isFolder: true))
    #expect(!filter.keeps("x/drafts/old.pdf", isFolder: false))
    #expect(try PathFilter().keeps("anything", isFolder: false))
  }

  @Test("unusable patterns are refused")
  func problems() {
    #expect(throws: GlobPattern.Problem.empty) { try GlobPattern("/") }
    #expect(throws: GlobPattern.Problem.unclosedClass("a[bc")) { try GlobPattern("a[bc") }
  }
}

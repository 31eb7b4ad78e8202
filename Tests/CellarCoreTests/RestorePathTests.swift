// CellarCoreTests: where restore puts each archived path, and the names it picks on conflict.
import Testing

@testable import CellarCore

@Suite("restore paths: --to, --only, rename")
struct RestorePathTests {
  @Test("--to replaces the source root; several sources keep their names below it")
  func destination() throws {
    let one = try TargetMapper(roots: ["common-files/projects"], destination: "/archive/2024/", only: [])
    #expect(one.target(for: "common-files/projects") == .path("archive/2024"))
    #expect(one.target(for: "common-files/projects/a/b.txt") == .path("archive/2024/a/b.txt"))
    #expect(one.target(for: "common-files/projectsX/b.txt") == .unmapped("outside the archive's sources"))
    let two = try TargetMapper(roots: ["common-files/a", "personal-files/b"], destination: "restore", only: [])
    #expect(two.target(for: "personal-files/b/x.txt") == .path("restore/b/x.txt"))
    let original = try TargetMapper(roots: [""], destination: nil, only: [])
    #expect(original.target(for: "common-files/x.txt") == .path("common-files/x.txt"))
  }

  @Test("--only keeps what a glob matches, and everything below a matched folder")
  func only() throws {
    let mapper = try TargetMapper(roots: ["ws/docs"], destination: nil, only: ["reports/**/*.pdf", "keep"])
    #expect(mapper.target(for: "ws/docs/reports/2024/q1.pdf") == .path("ws/docs/reports/2024/q1.pdf"))
    #expect(mapper.target(for: "ws/docs/reports/2024/q1.txt") == .excluded)
    #expect(mapper.target(for: "ws/docs/a/keep/inside.txt") == .path("ws/docs/a/keep/inside.txt"))
    #expect(mapper.target(for: "ws/docs") == .excluded, "the root itself is not selected")
  }

  @Test("paths compare as bytes: NFC and NFD names are different nodes")
  func bytes() throws {
    let mapper = try TargetMapper(roots: ["ws/caf\u{E9}"], destination: "out", only: [])
    #expect(mapper.target(for: "ws/caf\u{E9}/x") == .path("out/x"))
    #expect(mapper.target(for: "ws/cafe\u{301}/x") == .unmapped("outside the archive's sources"))
  }

  @Test("renamed names keep the extension: plan (1).pdf, a (2).tar.gz, .gitignore (1)")
  func renamed() {
    #expect(ConflictPolicy.renamed("plan.pdf", attempt: 1) == "plan (1).pdf")
    #expect(ConflictPolicy.renamed("a.tar.gz", attempt: 2) == "a (2).tar.gz")
    #expect(ConflictPolicy.renamed(".gitignore", attempt: 1) == ".gitignore (1)")
    #expect(ConflictPolicy.renamed("README", attempt: 3) == "README (3)")
  }
}

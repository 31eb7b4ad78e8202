// ArchiveKitTests: the name rules shared by writer and reader.
import Testing

@testable import ArchiveKit

@Suite("Member names")
struct MemberNameTests {
  @Test(
    "the reader normalises what other tar tools write",
    arguments: [
      ("a", false, "a"), ("./a", false, "a"), ("././a/./b", false, "a/b"), ("a//b", false, "a/b"),
      ("a/", true, "a"), ("./a/", true, "a"), ("a/b//", true, "a/b"), ("...", false, "..."),
      ("..a/b..", false, "..a/b.."), ("\u{E9}", false, "\u{E9}"),
    ])
  func readNormalisation(_ stored: String, _ isDirectory: Bool, _ expected: String) throws {
    let result = try MemberName.forReading(Array(stored.utf8), isDirectory: isDirectory)
    #expect(result == .path(expected))
  }

  @Test("the archive root is skipped, not refused")
  func root() throws {
    #expect(try MemberName.forReading(Array("./".utf8), isDirectory: true) == .root)
    #expect(try MemberName.forReading(Array(".".utf8), isDirectory: true) == .root)
    #expect(throws: ArchiveError.self) { try MemberName.forReading(Array(".".utf8), isDirectory: false) }
    #expect(throws: ArchiveError.self) { try MemberName.forReading([], isDirectory: false) }
  }

  @Test("the reader refuses", arguments: ["/a", "//a", "..", "../a", "a/..", "a/../b", "./../a", "a/b/../../.."])
  func readRefusals(_ stored: String) {
    #expect(throws: ArchiveError.self) { try MemberName.forReading(Array(stored.utf8), isDirectory: false) }
    #expect(throws: ArchiveError.self) { try MemberName.forReading(Array(stored.utf8), isDirectory: true) }
  }

  @Test("a file name may not end with a slash")
  func fileWithSlash() {
    #expect(throws: ArchiveError.unsafeMemberName(name: "a/", reason: #"a file name ends with "/""#)) {
      try MemberName.forReading(Array("a/".utf8), isDirectory: false)
    }
  }

  @Test("the writer stores a directory with exactly one trailing slash")
  func writeDirectory() throws {
    #expect(try MemberName.forWriting("a/b", isDirectory: true) == Array("a/b/".utf8))
    #expect(try MemberName.forWriting("a/b/", isDirectory: true) == Array("a/b/".utf8))
    #expect(try MemberName.forWriting("a/b", isDirectory: false) == Array("a/b".utf8))
  }
}

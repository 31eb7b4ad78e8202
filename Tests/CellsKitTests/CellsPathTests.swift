import Testing

// CellsKitTests: CellsPath, the one path type: trimming, segments, joining, containment, and
// byte-exact comparison (NFC and NFD spellings are two nodes).
@testable import CellsKit

@Suite("CellsPath")
struct CellsPathTests {
  @Test("slashes at either end are dropped; segments, workspace, name and parent follow")
  func parts() {
    let path = CellsPath("/common-files/Docs/a b.txt/")
    #expect(path.string == "common-files/Docs/a b.txt")
    #expect(path.segments == ["common-files", "Docs", "a b.txt"])
    #expect(path.workspace == "common-files")
    #expect(path.name == "a b.txt")
    #expect(path.parent == CellsPath("common-files/Docs"))
    #expect(path.ancestors == [CellsPath("common-files/Docs"), CellsPath("common-files")])
    #expect(CellsPath("common-files").parent.isRoot)
    #expect(CellsPath.root.name.isEmpty && CellsPath.root.workspace == nil && CellsPath.root.ancestors.isEmpty)
  }

  @Test("containment stops at a segment boundary, and the root holds everything")
  func containment() {
    let docs = CellsPath("ws/Docs")
    #expect(docs.contains(CellsPath("ws/Docs")))
    #expect(docs.contains(CellsPath("ws/Docs/x")))
    #expect(!docs.contains(CellsPath("ws/Docsx")))
    #expect(!docs.contains(CellsPath("ws")))
    #expect(CellsPath.root.contains(docs))
    #expect(docs.relative(CellsPath("ws/Docs/a/b")) == "a/b")
    #expect(docs.relative(docs) == "")
    #expect(docs.relative(CellsPath("ws/Other")) == nil)
    #expect(CellsPath.root.relative(docs) == "ws/Docs")
  }

  @Test("joining tolerates an empty side and extra slashes")
  func joining() {
    #expect(CellsPath("ws").appending("a/b").string == "ws/a/b")
    #expect(CellsPath("ws").appending("").string == "ws")
    #expect(CellsPath.root.appending("/ws/a/").string == "ws/a")
  }

  @Test("NFC and NFD spellings are different paths, for equality, hashing and containment")
  func bytes() {
    let nfc = CellsPath("ws/caf\u{E9}")
    let nfd = CellsPath("ws/cafe\u{301}")
    #expect("caf\u{E9}" == "cafe\u{301}", "Swift's String == treats them as one")
    #expect(nfc != nfd)
    #expect(Set([nfc, nfd]).count == 2)
    #expect(!nfc.contains(CellsPath("ws/cafe\u{301}/x")))
    // A combining mark right after a slash belongs to the name below, not to the slash.
    #expect(CellsPath("ws").relative(CellsPath("ws/\u{301}x")) == "\u{301}x")
    #expect(CellsPath("ws/\u{301}x").name == "\u{301}x")
    #expect(CellsPath("ws/\u{301}x").segments == ["ws", "\u{301}x"])
    #expect(CellsPath("ws/\u{301}x").parent == CellsPath("ws"))
  }

  @Test("an admin path maps to its workspace path byte for byte, a combining mark after a slash kept")
  func workspaceMapping() {
    let mapping = WorkspaceMapping(roots: [.init(slug: "common-files", adminPath: "pydiods1")])
    #expect(mapping.userPath(forAdminPath: "pydiods1/\u{301}x.txt") == "common-files/\u{301}x.txt")
    #expect(mapping.userPath(forAdminPath: "/pydiods1/a/") == "common-files/a")
    #expect(TreeNode(path: "ws/\u{301}x").name == "\u{301}x")
  }
}

import CellarTestSupport
import Foundation
import Testing

@testable import CellarCore

@Suite("PartialFile")
struct PartialFileTests {
  private func scratch() throws -> URL { try Scratch().url }

  @Test("committed output replaces the old file; nothing is left behind")
  func commit() throws {
    let directory = try scratch()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("nightly.tar.gz").path
    try Data("old".utf8).write(to: URL(fileURLWithPath: path))
    let output = try PartialFile(path: path)
    #expect(write(output.fileDescriptor, "new", 3) == 3)
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "old")
    try output.commit()
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "new")
    #expect(!FileManager.default.fileExists(atPath: path + ".partial"))
  }

  @Test("an output released without commit is removed and the old file stays")
  func discard() throws {
    let directory = try scratch()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("nightly.tar.gz").path
    try Data("old".utf8).write(to: URL(fileURLWithPath: path))
    do {
      let output = try PartialFile(path: path)
      #expect(write(output.fileDescriptor, "half", 4) == 4)
      #if os(Linux)
        // Unnamed until commit: a SIGKILL at this point would leave nothing.
        #expect(!FileManager.default.fileExists(atPath: path + ".partial"))
      #endif
    }
    #expect(!FileManager.default.fileExists(atPath: path + ".partial"))
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "old")
  }

  @Test("a leftover .partial of a killed older run is replaced at commit")
  func leftover() throws {
    let directory = try scratch()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("out.tar").path
    try Data("stale".utf8).write(to: URL(fileURLWithPath: path + ".partial"))
    let output = try PartialFile(path: path)
    #expect(write(output.fileDescriptor, "fresh", 5) == 5)
    try output.commit()
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "fresh")
    #expect(!FileManager.default.fileExists(atPath: path + ".partial"))
  }

  @Test("an output in a missing folder is a clear error")
  func missingFolder() {
    #expect(throws: PartialFile.Problem.self) { try PartialFile(path: "/no/such/folder/out.tar") }
  }
}

@Suite("PartialFile: names too long for the suffix")
struct PartialFileLongNameTests {
  @Test("a 250-byte name gets a short partial name in the same folder, and is committed under its own")
  func longName() throws {
    try withScratchDirectory { directory in
      let name = String(repeating: "é", count: 123) + "s.txt"  // 251 bytes
      let path = directory.appendingPathComponent(name).path
      let partial = PartialFile.partialPath(for: path)
      #expect(partial.hasPrefix(directory.path + "/."))
      #expect(partial.utf8.split(separator: UInt8(ascii: "/")).last!.count <= 255)
      #expect(PartialFile.partialPath(for: path) == partial, "the same name for a rerun")
      let output = try PartialFile(path: path)
      #expect(write(output.fileDescriptor, "new", 3) == 3)
      try output.commit()
      #expect(try String(contentsOfFile: path, encoding: .utf8) == "new")
      #expect(!FileManager.default.fileExists(atPath: partial))
      #expect(PartialFile.partialPath(for: directory.path + "/short") == directory.path + "/short.partial")
    }
  }
}

// ArchiveKitTests: the tree every round trip writes, declared as data.
import CellarTestSupport

@testable import ArchiveKit

/// One member to write and expect back.
struct TreeEntry: Sendable {
  var path: String
  var kind: ArchiveMember.Kind
  var content: [UInt8]
  var mode: UInt32
  var mtime: Int64

  static func dir(_ path: String, mode: UInt32 = 0o755, mtime: Int64 = 1_600_000_000) -> TreeEntry {
    TreeEntry(path: path, kind: .directory, content: [], mode: mode, mtime: mtime)
  }

  static func file(_ path: String, _ content: [UInt8], mode: UInt32 = 0o644, mtime: Int64 = 1_700_000_000)
    -> TreeEntry
  {
    TreeEntry(path: path, kind: .file, content: content, mode: mode, mtime: mtime)
  }

  static func file(_ path: String, _ text: String, mode: UInt32 = 0o644, mtime: Int64 = 1_700_000_000)
    -> TreeEntry
  {
    file(path, Array(text.utf8), mode: mode, mtime: mtime)
  }

  /// The stored name's bytes.
  ///
  /// Compare these, not Strings: Swift's String equality treats NFC and
  /// NFD spellings as equal, which would hide exactly the change these tests look for.
  var nameBytes: [UInt8] { Array(path.utf8) }
}

enum TestTree {
  /// "café" spelled with a precomposed é (NFC) and with e + combining acute (NFD).
  static let cafeNFC = "caf\u{E9}"
  static let cafeNFD = "cafe\u{301}"

  /// A tree with the cases that break archivers: nesting, an empty folder, a zero-byte file, a
  /// dot-file, URL-ish punctuation, both Unicode normal forms side by side, binary data, and a
  /// file larger than the reader's 256 KiB chunk and libarchive's 10 KiB blocks.
  static let entries: [TreeEntry] = [
    .dir("docs", mtime: 1_600_000_001),
    .file("docs/readme.txt", "Hello, cellar!\n", mtime: 1_700_000_002),
    .dir("docs/nested", mode: 0o700, mtime: 1_600_000_003),
    .dir("docs/nested/deeper", mtime: 1_600_000_004),
    .file("docs/nested/deeper/all-bytes.bin", Array(0...255) + Array((0...255).reversed()), mode: 0o600),
    .dir("empty folder", mtime: 1_500_000_000),
    .file("zero.bin", [], mtime: 1_650_000_000),
    .file(".hidden", "a dot-file\n", mode: 0o640),
    .file("name with spaces #1 %41 +plus.txt", "punctuation\n"),
    .file("run.sh", "#!/bin/sh\necho hi\n", mode: 0o755, mtime: 1_700_000_123),
    .dir("unicode"),
    .file("unicode/\(cafeNFC).txt", "NFC\n"),
    .file("unicode/\(cafeNFD).txt", "NFD\n"),
    .dir("unicode/日本語 フォルダ"),
    .file("unicode/日本語 フォルダ/ファイル ✓.txt", "kanji\n"),
    .file("big.bin", TestData.bytes(count: 600_000, seed: 7)),
  ]

  /// Writes the whole tree with `writer` and finishes the archive.
  static func write(to writer: ArchiveWriter) throws {
    for entry in entries {
      switch entry.kind {
      case .directory:
        try writer.writeDirectory(path: entry.path, mode: entry.mode, mtime: entry.mtime)
      case .file:
        try writer.beginFile(path: entry.path, size: Int64(entry.content.count), mode: entry.mode, mtime: entry.mtime)
        // Odd-sized chunks, so that chunk and block boundaries never line up.
        var offset = 0
        while offset < entry.content.count {
          let end = min(offset + 70_001, entry.content.count)
          try writer.write(Array(entry.content[offset..<end]))
          offset = end
        }
        try writer.finishFile()
      }
    }
    try writer.finish()
  }
}

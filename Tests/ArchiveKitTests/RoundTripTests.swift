// ArchiveKitTests: every format, written by ArchiveWriter and read back by ArchiveReader and by
// independent tools (Python, bsdtar, GNU tar, unzip).
import CellarTestSupport
import Foundation
import Testing

@testable import ArchiveKit

/// One way of writing the test tree.
struct RoundTripCase: Sendable, CustomTestStringConvertible {
  var format: ArchiveFormat
  var level: Int?
  var label: String

  var testDescription: String { label }

  static let all: [RoundTripCase] = [
    RoundTripCase(format: .tar, level: nil, label: "tar"),
    RoundTripCase(format: .tarGzip, level: nil, label: "tar.gz"),
    RoundTripCase(format: .tarZstd, level: nil, label: "tar.zst"),
    RoundTripCase(format: .tarXz, level: nil, label: "tar.xz"),
    RoundTripCase(format: .zip, level: nil, label: "zip (deflate)"),
    RoundTripCase(format: .zip, level: 0, label: "zip (store)"),
  ]
}

@Suite("Round trips")
struct RoundTripTests {
  @Test("write, then read back with ArchiveReader and independent tools", arguments: RoundTripCase.all)
  func roundTrip(_ testCase: RoundTripCase) throws {
    try withScratchDirectory { dir in
      let archive = dir.appendingPathComponent("tree.\(testCase.format.fileExtension)")
      try withOutputDescriptor(archive) { fd in
        try TestTree.write(to: ArchiveWriter(format: testCase.format, level: testCase.level, fileDescriptor: fd))
      }
      try checkArchiveReader(archive, testCase.format)
      try checkStreamingArchiveReader(archive, testCase.format)
      try checkPython(archive, testCase, scratch: dir)
      try checkBsdtar(archive)
      if testCase.format.isTar {
        try checkGNUTar(archive)
      } else {
        let test = try ChildProcess.runBlocking("unzip", ["-t", archive.path])
        #expect(test.status == 0, "unzip -t: \(test.stdout) \(test.stderr)")
        #expect(test.stdout.contains("No errors detected"))
      }
    }
  }

  /// The names ArchiveReader is expected to return.
  ///
  /// libarchive converts zip names to NFC whatever they were stored as (see NameLocale.swift);
  /// a zip read from a file gets its stored names back from the central directory, one read
  /// front to back (`streamed`) keeps NFC. Tar names come back exactly as stored.
  private func expectedReaderName(_ entry: TreeEntry, _ format: ArchiveFormat, streamed: Bool = false) -> [UInt8] {
    format == .zip && streamed ? Array(entry.path.precomposedStringWithCanonicalMapping.utf8) : entry.nameBytes
  }

  private func checkArchiveReader(_ archive: URL, _ format: ArchiveFormat) throws {
    let reader = try ArchiveReader(path: archive.path)
    let members = try ReadBack.all(reader)
    #expect(reader.format == format)
    try #require(members.count == TestTree.entries.count)
    for (entry, read) in zip(TestTree.entries, members) {
      #expect(Array(read.member.path.utf8) == expectedReaderName(entry, format), "\(entry.path)")
      #expect(read.member.kind == entry.kind, "\(entry.path)")
      #expect(read.member.size == Int64(entry.content.count), "\(entry.path)")
      #expect(read.member.mode == entry.mode, "\(entry.path)")
      #expect(read.member.mtime == entry.mtime, "\(entry.path)")
      #expect(read.data == entry.content, "\(entry.path)")
    }
  }

  /// Reads through an `ArchiveSource`, front to back.
  ///
  /// Zip then only has its local headers, which
  /// in libarchive's zips carry no mode, so modes are not compared there.
  private func checkStreamingArchiveReader(_ archive: URL, _ format: ArchiveFormat) throws {
    let bytes = try [UInt8](Data(contentsOf: archive))
    let members = try ReadBack.all(ArchiveReader(source: MemorySource(bytes)))
    try #require(members.count == TestTree.entries.count)
    for (entry, read) in zip(TestTree.entries, members) {
      #expect(Array(read.member.path.utf8) == expectedReaderName(entry, format, streamed: true), "\(entry.path)")
      #expect(read.member.kind == entry.kind, "\(entry.path)")
      #expect(read.member.mtime == entry.mtime, "\(entry.path)")
      #expect(read.data == entry.content, "\(entry.path)")
      if format.isTar {
        #expect(read.member.mode == entry.mode, "\(entry.path)")
        #expect(read.member.size == Int64(entry.content.count), "\(entry.path)")
      } else {
        // A zip local header may defer the size to the data descriptor (libarchive does so for
        // empty files); then the size is unknown until the data has been read.
        #expect(read.member.size == nil || read.member.size == Int64(entry.content.count), "\(entry.path)")
      }
    }
  }

  private func checkPython(_ archive: URL, _ testCase: RoundTripCase, scratch: URL) throws {
    let members = try IndependentReader.list(
      archive, zip: testCase.format == .zip, zstd: testCase.format == .tarZstd, scratch: scratch)
    try #require(members.count == TestTree.entries.count)
    for (entry, member) in zip(TestTree.entries, members) {
      // Python does not normalise: this is where the exact stored bytes are checked.
      #expect(member.nameHex == entry.nameBytes.hex, "\(entry.path)")
      #expect(member.type == (entry.kind == .file ? "file" : "dir"), "\(entry.path)")
      #expect(member.size == Int64(entry.content.count), "\(entry.path)")
      #expect(member.mode == entry.mode, "\(entry.path)")
      #expect(member.mtime == entry.mtime, "\(entry.path)")
      #expect(member.dataHex == entry.content.hex, "\(entry.path)")
      if testCase.format == .zip {
        if entry.kind == .file {
          #expect(member.compressType == (testCase.level == 0 ? 0 : 8), "\(entry.path)")
        }
        if entry.nameBytes.contains(where: { $0 >= 0x80 }) {
          #expect(member.utf8Flag == true, "\(entry.path)")
        }
      }
    }
    let sha = try #require(members.first { $0.nameHex == Array("big.bin".utf8).hex }?.sha256)
    let expected = try ChildProcess.output(
      "python3",
      [
        "-c", "import hashlib,sys; print(hashlib.sha256(bytes.fromhex(sys.stdin.read())).hexdigest())",
      ], stdin: writeHex(TestTree.entries.last!.content, in: scratch))
    #expect(sha == String(decoding: expected, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
  }

  private func writeHex(_ bytes: [UInt8], in dir: URL) throws -> URL {
    let url = dir.appendingPathComponent("expected-\(UUID().uuidString).hex")
    try Data(bytes.hex.utf8).write(to: url)
    return url
  }

  /// Reads with bsdtar, comparing names in NFC.
  ///
  /// bsdtar is libarchive too, so it also reads zip names as NFC; Python and GNU tar check the
  /// exact bytes. Its concatenated `-xO` output checks data.
  private func checkBsdtar(_ archive: URL) throws {
    let listing = try ChildProcess.output("bsdtar", ["-tf", archive.path])
    let names = String(decoding: listing, as: UTF8.self).split(separator: "\n").map {
      String($0).precomposedStringWithCanonicalMapping
    }
    let expected = TestTree.entries.map {
      ($0.kind == .directory ? $0.path + "/" : $0.path).precomposedStringWithCanonicalMapping
    }
    #expect(names == expected)
    let data = try ChildProcess.output("bsdtar", ["-xOf", archive.path])
    #expect([UInt8](data) == TestTree.entries.flatMap(\.content))
  }

  /// GNU tar shares no code with libarchive and keeps names byte for byte.
  private func checkGNUTar(_ archive: URL) throws {
    let listing = try ChildProcess.output("tar", ["--quoting-style=literal", "-tf", archive.path])
    let names = listing.split(separator: UInt8(ascii: "\n")).map { [UInt8]($0) }
    let expected = TestTree.entries.map { Array(($0.kind == .directory ? $0.path + "/" : $0.path).utf8) }
    #expect(names == expected)
    let data = try ChildProcess.output("tar", ["-xOf", archive.path])
    #expect([UInt8](data) == TestTree.entries.flatMap(\.content))
  }
}

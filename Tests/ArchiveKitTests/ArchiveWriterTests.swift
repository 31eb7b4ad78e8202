// ArchiveKitTests: what the writer refuses, how it fails, and how it hands bytes to a sink.
import CellarTestSupport
import Foundation
import Testing

@testable import ArchiveKit

/// A sink that fails, on the first write or on close.
final class FailingSink: ArchiveSink {
  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  let failOnWrite: Bool
  private(set) var closeCount = 0

  init(failOnWrite: Bool) {
    self.failOnWrite = failOnWrite
  }

  func write(_ bytes: UnsafeRawBufferPointer) throws {
    if failOnWrite { throw Failure(description: "disk full (test)") }
  }

  func close() throws {
    closeCount += 1
    throw Failure(description: "close failed (test)")
  }
}

@Suite("ArchiveWriter")
struct ArchiveWriterTests {
  /// Writes one small file into memory and returns the archive's bytes.
  private func smallArchive(_ format: ArchiveFormat, level: Int? = nil, threads: Int? = nil) throws -> [UInt8] {
    let sink = MemorySink()
    let writer = try ArchiveWriter(format: format, level: level, threads: threads, sink: sink)
    try writer.beginFile(path: "a.txt", size: 6, mtime: 1_700_000_000)
    try writer.write(Array("hello\n".utf8))
    try writer.finishFile()
    try writer.finish()
    #expect(sink.closeCount == 1)
    return sink.bytes
  }

  @Test(
    "refuses unsafe or non-canonical file names",
    arguments: [
      "", "/abs", "/", "../x", "a/../b", "a/..", "..", "a\u{0}b", "a//b", "./a", "a/./b", "a/",
    ])
  func refusesFileNames(_ name: String) throws {
    let sink = MemorySink()
    let writer = try ArchiveWriter(format: .tar, sink: sink)
    #expect {
      try writer.beginFile(path: name, size: 0, mtime: 0)
    } throws: { error in
      guard case ArchiveError.unsafeMemberName(let shown, _) = error else { return false }
      return shown == name
    }
    // Nothing was written and the writer is still usable.
    try writer.beginFile(path: "ok.txt", size: 0, mtime: 0)
    try writer.finishFile()
    try writer.finish()
    let members = try ReadBack.all(ArchiveReader(source: MemorySource(sink.bytes)))
    #expect(members.map(\.member.path) == ["ok.txt"])
  }

  @Test("refuses unsafe directory names", arguments: ["", "/", "/abs/", "../x/", "a/../b/", "a//", "a\u{0}/"])
  func refusesDirectoryNames(_ name: String) throws {
    let writer = try ArchiveWriter(format: .zip, sink: MemorySink())
    #expect(throws: ArchiveError.self) { try writer.writeDirectory(path: name, mtime: 0) }
  }

  @Test("refuses NUL with a clear reason")
  func nulReason() throws {
    let writer = try ArchiveWriter(format: .tar, sink: MemorySink())
    #expect(throws: ArchiveError.unsafeMemberName(name: "a\u{0}b", reason: "the name contains a NUL byte")) {
      try writer.beginFile(path: "a\u{0}b", size: 0, mtime: 0)
    }
  }

  @Test("a directory name may end with a slash", arguments: [ArchiveFormat.tar, .zip])
  func directorySlash(_ format: ArchiveFormat) throws {
    let sink = MemorySink()
    let writer = try ArchiveWriter(format: format, sink: sink)
    try writer.writeDirectory(path: "docs/", mtime: 1_600_000_000)
    try writer.writeDirectory(path: "docs/sub", mode: 0o700, mtime: 1_600_000_001)
    try writer.finish()
    let members = try ReadBack.all(ArchiveReader(source: MemorySource(sink.bytes)))
    #expect(members.map(\.member.path) == ["docs", "docs/sub"])
    #expect(members.allSatisfy { $0.member.kind == .directory && $0.member.size == 0 })
    #expect(members.map(\.member.mtime) == [1_600_000_000, 1_600_000_001])
  }

  @Test("refuses more bytes than declared, writing none of them")
  func tooManyBytes() throws {
    let sink = MemorySink()
    let writer = try ArchiveWriter(format: .tar, sink: sink)
    try writer.beginFile(path: "a.txt", size: 5, mtime: 0)
    #expect(throws: ArchiveError.sizeMismatch(path: "a.txt", declared: 5, written: 6)) {
      try writer.write(Array("123456".utf8))
    }
    try writer.write(Array("123".utf8))
    #expect(throws: ArchiveError.sizeMismatch(path: "a.txt", declared: 5, written: 6)) {
      try writer.write(Array("456".utf8))
    }
    try writer.write(Array("45".utf8))
    try writer.finishFile()
    try writer.finish()
    let members = try ReadBack.all(ArchiveReader(source: MemorySource(sink.bytes)))
    #expect(members.map(\.data) == [Array("12345".utf8)])
  }

  /// libarchive would pad a short member with zeros; the writer refuses and stays failed, and
  /// what reached the output is an archive that visibly breaks off.
  @Test("refuses fewer bytes than declared and stays failed", arguments: [ArchiveFormat.tar, .tarGzip, .zip])
  func tooFewBytes(_ format: ArchiveFormat) throws {
    let sink = MemorySink()
    let writer = try ArchiveWriter(format: format, level: format == .zip ? 0 : nil, sink: sink)
    let big = TestData.bytes(count: 100_000, seed: 9)
    try writer.beginFile(path: "big.bin", size: Int64(big.count), mtime: 0)
    try writer.write(big)
    try writer.finishFile()
    try writer.beginFile(path: "short.txt", size: 10, mtime: 0)
    try writer.write(Array("1234".utf8))
    let mismatch = ArchiveError.sizeMismatch(path: "short.txt", declared: 10, written: 4)
    #expect(throws: mismatch) { try writer.finishFile() }
    #expect(throws: mismatch) { try writer.writeDirectory(path: "later", mtime: 0) }
    #expect(throws: mismatch) { try writer.finish() }
    #expect(sink.closeCount == 0)
    #expect(throws: ArchiveError.self) { _ = try ReadBack.all(ArchiveReader(source: MemorySource(sink.bytes))) }
  }

  @Test("refuses a negative size")
  func negativeSize() throws {
    let writer = try ArchiveWriter(format: .tar, sink: MemorySink())
    #expect(throws: ArchiveError.invalidSize(path: "a", size: -1)) {
      try writer.beginFile(path: "a", size: -1, mtime: 0)
    }
  }

  @Test("enforces the order of calls")
  func callOrder() throws {
    let writer = try ArchiveWriter(format: .tar, sink: MemorySink())
    #expect(throws: ArchiveError.noCurrentFile) { try writer.write([1]) }
    #expect(throws: ArchiveError.noCurrentFile) { try writer.finishFile() }
    try writer.beginFile(path: "a", size: 1, mtime: 0)
    #expect(throws: ArchiveError.fileStillOpen(path: "a")) { try writer.beginFile(path: "b", size: 0, mtime: 0) }
    #expect(throws: ArchiveError.fileStillOpen(path: "a")) { try writer.writeDirectory(path: "d", mtime: 0) }
    #expect(throws: ArchiveError.fileStillOpen(path: "a")) { try writer.finish() }
    try writer.write([1])
    try writer.finishFile()
    try writer.finish()
    #expect(throws: ArchiveError.alreadyFinished) { try writer.finish() }
    #expect(throws: ArchiveError.alreadyFinished) { try writer.beginFile(path: "c", size: 0, mtime: 0) }
  }

  @Test(
    "refuses levels outside the format's range",
    arguments: [
      (ArchiveFormat.tar, 0), (.tar, 6), (.tarGzip, -1), (.tarGzip, 10), (.tarZstd, 0), (.tarZstd, 20),
      (.tarZstd, 22), (.tarXz, -1), (.tarXz, 10), (.zip, -1), (.zip, 10),
    ])
  func invalidLevels(_ format: ArchiveFormat, _ level: Int) {
    #expect(throws: ArchiveError.invalidLevel(format: format, level: level)) {
      _ = try ArchiveWriter(format: format, level: level, sink: MemorySink())
    }
  }

  @Test(
    "accepts every level at the ends of the range",
    arguments: [
      (ArchiveFormat.tarGzip, 0), (.tarGzip, 9), (.tarZstd, 1), (.tarZstd, 19), (.tarXz, 0), (.tarXz, 9),
      (.zip, 0), (.zip, 1), (.zip, 9),
    ])
  func validLevels(_ format: ArchiveFormat, _ level: Int) throws {
    let bytes = try smallArchive(format, level: level)
    let reader = try ArchiveReader(source: MemorySource(bytes))
    let members = try ReadBack.all(reader)
    #expect(reader.format == format)
    #expect(members.map(\.data) == [Array("hello\n".utf8)])
  }

  @Test("compresses with one thread or several", arguments: [ArchiveFormat.tarZstd, .tarXz], [1, 2])
  func threads(_ format: ArchiveFormat, _ threads: Int) throws {
    let bytes = try smallArchive(format, threads: threads)
    #expect(try ReadBack.all(ArchiveReader(source: MemorySource(bytes))).map(\.data) == [Array("hello\n".utf8)])
  }

  @Test("a sink's error surfaces with its message, and the writer stays failed")
  func sinkWriteError() throws {
    let sink = FailingSink(failOnWrite: true)
    let writer = try ArchiveWriter(format: .tar, sink: sink)
    let expected = ArchiveError.sink(message: "disk full (test)")
    // libarchive buffers 10 KiB before its first write, so the error comes with the data.
    #expect(throws: expected) {
      try writer.beginFile(path: "big.bin", size: 50_000, mtime: 0)
      try writer.write(TestData.bytes(count: 50_000, seed: 1))
      try writer.finishFile()
      try writer.finish()
    }
    #expect(throws: expected) { try writer.writeDirectory(path: "later", mtime: 0) }
    #expect(throws: expected) { try writer.finish() }
    #expect(sink.closeCount == 0)
  }

  @Test("an error from the sink's close surfaces from finish()")
  func sinkCloseError() throws {
    let sink = FailingSink(failOnWrite: false)
    let writer = try ArchiveWriter(format: .tarGzip, sink: sink)
    try writer.writeDirectory(path: "d", mtime: 0)
    #expect(throws: ArchiveError.sink(message: "close failed (test)")) { try writer.finish() }
    #expect(sink.closeCount == 1)
  }

  @Test("a descriptor and a sink receive the same bytes")
  func sinkMatchesDescriptor() throws {
    try withScratchDirectory { dir in
      let url = dir.appendingPathComponent("tree.tar")
      try withOutputDescriptor(url) { fd in try TestTree.write(to: ArchiveWriter(format: .tar, fileDescriptor: fd)) }
      let sink = MemorySink()
      try TestTree.write(to: ArchiveWriter(format: .tar, sink: sink))
      #expect(try [UInt8](Data(contentsOf: url)) == sink.bytes)
      #expect(sink.closeCount == 1)
      // No padding after the end-of-archive blocks: the file ends 1 KiB of zeros after the data.
      #expect(sink.bytes.count % 512 == 0)
      #expect(sink.bytes.suffix(1024).allSatisfy { $0 == 0 })
    }
  }

  @Test("a writer releases its sink, and an abandoned one never closes it")
  func lifecycle() throws {
    weak var weakSink: MemorySink?
    do {
      let sink = MemorySink()
      weakSink = sink
      let writer = try ArchiveWriter(format: .tarZstd, sink: sink)
      try writer.beginFile(path: "a", size: 1, mtime: 0)
      try writer.write([42])
      try writer.finishFile()
      // Dropped without finish(): no trailer, no close.
      _ = writer
      #expect(sink.closeCount == 0)
    }
    #expect(weakSink == nil)
  }

  @Test("every error has a one-line description")
  func descriptions() {
    let errors: [ArchiveError] = [
      .library(operation: "archive_write_header", code: 28, message: "No space left on device"),
      .unsafeMemberName(name: "../x", reason: "the name has a \"..\" component"),
      .unsupportedMemberType(name: "link", type: "symbolic link"),
      .sizeMismatch(path: "a", declared: 2, written: 1), .invalidSize(path: "a", size: -1),
      .invalidLevel(format: .tarZstd, level: 0), .invalidLevel(format: .tar, level: 1),
      .sink(message: "gone"), .source(message: "gone"), .cannotOpen(path: "x", message: "No such file"),
      .noCurrentFile, .fileStillOpen(path: "a"), .alreadyFinished,
    ]
    for error in errors {
      let text = error.errorDescription ?? ""
      #expect(!text.isEmpty && !text.contains("\n"), "\(error)")
      #expect(error.localizedDescription == text)
    }
    #expect(ArchiveError.invalidLevel(format: .tarZstd, level: 0).description.contains("1–19"))
  }
}

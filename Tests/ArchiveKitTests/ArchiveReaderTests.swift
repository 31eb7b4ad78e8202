// ArchiveKitTests: reading from each kind of input, and what the reader tolerates.
import CellarTestSupport
import Foundation
import Testing

@testable import ArchiveKit

/// A source that fails after handing out some bytes.
final class FailingSource: ArchiveSource {
  struct Failure: Error, CustomStringConvertible {
    var description: String { "connection reset (test)" }
  }

  private var remaining: [UInt8]

  init(prefix: [UInt8]) {
    remaining = prefix
  }

  func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    guard !remaining.isEmpty else { throw Failure() }
    let count = min(buffer.count, remaining.count)
    remaining.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[..<count])) }
    remaining.removeFirst(count)
    return count
  }
}

@Suite("ArchiveReader")
struct ArchiveReaderTests {
  /// `tar -C dir .` records "./", "./sub/" and "./sub/f.txt"; the reader returns "sub" and
  /// "sub/f.txt" and skips the root.
  @Test("normalises './' prefixes and skips the root written by GNU tar")
  func gnuTarDotPrefix() throws {
    try withScratchDirectory { dir in
      let tree = dir.appendingPathComponent("tree/sub", isDirectory: true)
      try FileManager.default.createDirectory(at: tree, withIntermediateDirectories: true)
      try Data("gnu\n".utf8).write(to: tree.appendingPathComponent("f.txt"))
      let archive = dir.appendingPathComponent("gnu.tar.gz")
      _ = try ChildProcess.output("tar", ["-czf", archive.path, "-C", dir.appendingPathComponent("tree").path, "."])
      let listing = String(decoding: try ChildProcess.output("tar", ["-tzf", archive.path]), as: UTF8.self)
      #expect(listing.split(separator: "\n").sorted() == ["./", "./sub/", "./sub/f.txt"])
      let members = try ReadBack.all(ArchiveReader(path: archive.path))
      #expect(members.map(\.member.path) == ["sub", "sub/f.txt"])
      #expect(members.map(\.member.kind) == [.directory, .file])
      #expect(members.last?.data == Array("gnu\n".utf8))
    }
  }

  @Test("reads from a pipe, front to back")
  func pipe() throws {
    try withScratchDirectory { dir in
      let archive = dir.appendingPathComponent("tree.tar.gz")
      try withOutputDescriptor(archive) { fd in
        try TestTree.write(to: ArchiveWriter(format: .tarGzip, fileDescriptor: fd))
      }
      let cat = try ChildProcess.start("cat", [archive.path], pipingOutput: true)
      defer { _ = try? cat.wait() }
      let reader = try ArchiveReader(fileDescriptor: try #require(cat.output).fileDescriptor)
      let members = try ReadBack.all(reader)
      #expect(reader.format == .tarGzip)
      #expect(members.map { Array($0.member.path.utf8) } == TestTree.entries.map(\.nameBytes))
      #expect(members.map(\.data) == TestTree.entries.map(\.content))
    }
  }

  @Test("skips the unread rest of a member", arguments: [false, true])
  func partialRead(_ streaming: Bool) throws {
    let sink = MemorySink()
    let writer = try ArchiveWriter(format: .tar, sink: sink)
    let first = TestData.bytes(count: 300_000, seed: 5)
    for (name, data) in [("first.bin", first), ("second.txt", Array("second".utf8))] {
      try writer.beginFile(path: name, size: Int64(data.count), mtime: 0)
      try writer.write(data)
      try writer.finishFile()
    }
    try writer.finish()
    try withScratchDirectory { dir in
      let url = dir.appendingPathComponent("two.tar")
      try Data(sink.bytes).write(to: url)
      let reader = try streaming ? ArchiveReader(source: MemorySource(sink.bytes)) : ArchiveReader(path: url.path)
      #expect(try reader.next()?.path == "first.bin")
      var head = [UInt8](repeating: 0, count: 10)
      let count = try head.withUnsafeMutableBytes { try reader.read(into: $0) }
      #expect(count == 10 && head == Array(first.prefix(10)))
      #expect(try reader.next()?.path == "second.txt")
      var rest: [UInt8] = []
      try reader.forEachChunk { rest.append(contentsOf: $0) }
      #expect(rest == Array("second".utf8))
    }
  }

  @Test("a source's error surfaces with its message")
  func sourceError() throws {
    let bytes = try ArchiveWriterTestsSupport.tarWithBigFile()
    let source = FailingSource(prefix: Array(bytes.prefix(20_000)))
    #expect(throws: ArchiveError.source(message: "connection reset (test)")) {
      _ = try ReadBack.all(ArchiveReader(source: source))
    }
  }

  @Test("data calls need a current file; directories have no data")
  func dataCalls() throws {
    let sink = MemorySink()
    let writer = try ArchiveWriter(format: .zip, sink: sink)
    try writer.writeDirectory(path: "d", mtime: 0)
    try writer.finish()
    let reader = try ArchiveReader(source: MemorySource(sink.bytes))
    var buffer = [UInt8](repeating: 0, count: 16)
    #expect(throws: ArchiveError.noCurrentFile) { _ = try buffer.withUnsafeMutableBytes { try reader.read(into: $0) } }
    #expect(try reader.next()?.kind == .directory)
    #expect(try buffer.withUnsafeMutableBytes { try reader.read(into: $0) } == 0)
    #expect(try reader.next() == nil)
    #expect(throws: ArchiveError.noCurrentFile) { try reader.forEachChunk { _ in } }
  }

  @Test("a missing file cannot be opened")
  func missingFile() {
    #expect {
      _ = try ArchiveReader(path: "/nonexistent/archivekit.tar")
    } throws: { error in
      guard case ArchiveError.cannotOpen(let path, let message) = error else { return false }
      return path == "/nonexistent/archivekit.tar" && message.contains("No such file")
    }
  }

  @Test("a reader releases its source")
  func lifecycle() throws {
    weak var weakSource: MemorySource?
    do {
      let source = MemorySource(try ArchiveWriterTestsSupport.tarWithBigFile())
      weakSource = source
      let reader = try ArchiveReader(source: source)
      _ = try reader.next()
    }
    #expect(weakSource == nil)
  }
}

enum ArchiveWriterTestsSupport {
  /// A tar with one 100 kB file, in memory.
  static func tarWithBigFile() throws -> [UInt8] {
    let sink = MemorySink()
    let writer = try ArchiveWriter(format: .tar, sink: sink)
    let data = TestData.bytes(count: 100_000, seed: 11)
    try writer.beginFile(path: "big.bin", size: Int64(data.count), mtime: 0)
    try writer.write(data)
    try writer.finishFile()
    try writer.finish()
    return sink.bytes
  }
}

// ArchiveKitTests: a tar compressed in frames is still one ordinary compressed tar to every tool,
// and each frame can be decompressed on its own, from its offset.
import CellarTestSupport
import Foundation
import Testing

@testable import ArchiveKit

@Suite("FramedCompressor")
struct FramedCompressorTests {
  /// A framed archive of many small files and one large one, with small frames to get many.
  struct Written {
    var tar: [UInt8]
    var compressed: [UInt8]
    var frames: [ArchiveFrame]
    /// Where each member starts in `tar`, by name.
    var offsets: [String: Int64]
    var large: [UInt8]
  }

  static let frameSize: Int64 = 64 << 10
  static let maximumFrameSize: Int64 = 256 << 10

  static func write(_ format: ArchiveFormat) throws -> Written {
    let plain = MemorySink()
    let output = MemorySink()
    let framed = try FramedCompressor(
      format: format, level: 1, frameSize: frameSize, maximumFrameSize: maximumFrameSize, sink: output)
    let tee = TeeSink(plain, framed)
    let writer = try ArchiveWriter(format: .tar, sink: tee)
    var offsets: [String: Int64] = [:]
    func mark(_ name: String) {
      offsets[name] = writer.position
      framed.boundaries.mark(writer.position)
    }
    mark("docs")
    try writer.writeDirectory(path: "docs", mtime: 1_700_000_000)
    for index in 0..<60 {
      let name = "docs/file-\(index).txt"
      let body = Array(String(repeating: "line \(index) of a small text file\n", count: 500).utf8)
      mark(name)
      try writer.beginFile(path: name, size: Int64(body.count), mtime: 1_700_000_000)
      try writer.write(body)
      try writer.finishFile()
    }
    // Larger than the largest frame: cut inside it.
    let large = (0..<700_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }
    mark("docs/large.bin")
    try writer.beginFile(path: "docs/large.bin", size: Int64(large.count), mtime: 1_700_000_000)
    try writer.write(large)
    try writer.finishFile()
    // The last member starts a frame of its own, as cellar's manifest does.
    offsets["docs/last.txt"] = writer.position
    framed.boundaries.cut(at: writer.position)
    try writer.beginFile(path: "docs/last.txt", size: 4, mtime: 1_700_000_000)
    try writer.write(Array("last".utf8))
    try writer.finishFile()
    try writer.finish()
    return Written(tar: plain.bytes, compressed: output.bytes, frames: framed.frames, offsets: offsets, large: large)
  }

  static let formats: [(format: ArchiveFormat, tool: String)] = [
    (.tarGzip, "gzip"), (.tarZstd, "zstd"), (.tarXz, "xz"),
  ]

  @Test("frames begin at members, or inside one larger than a frame may be", arguments: [0, 1, 2])
  func boundaries(_ index: Int) throws {
    let written = try Self.write(Self.formats[index].format)
    #expect(written.frames.count > 5)
    #expect(written.frames.first == ArchiveFrame(compressedOffset: 0, uncompressedOffset: 0))
    let starts = Set(written.offsets.values)
    let largeStart = written.offsets["docs/large.bin"]!
    let largeEnd = written.offsets["docs/last.txt"]!
    var insideLarge = 0
    for (previous, frame) in zip(written.frames, written.frames.dropFirst()) {
      let length = frame.uncompressedOffset - previous.uncompressedOffset
      #expect(length <= Self.maximumFrameSize)
      if frame.uncompressedOffset == written.offsets["docs/last.txt"] {
        continue  // a cut asked for, however short the frame before it
      } else if starts.contains(frame.uncompressedOffset) {
        #expect(length >= Self.frameSize, "a frame ends at the first member after frameSize")
      } else {
        #expect(length == Self.maximumFrameSize, "only a full frame ends inside a member")
        #expect(frame.uncompressedOffset > largeStart && frame.uncompressedOffset < largeEnd)
        insideLarge += 1
      }
    }
    #expect(insideLarge >= 1)
    #expect(written.frames.last?.uncompressedOffset == written.offsets["docs/last.txt"])
  }

  @Test("the whole stream is one archive to the format's tool, GNU tar and Python", arguments: [0, 1, 2])
  func wholeStream(_ index: Int) throws {
    let (format, tool) = Self.formats[index]
    let written = try Self.write(format)
    try withScratchDirectory { scratch in
      let archive = scratch.appendingPathComponent("framed.\(format.fileExtension)")
      try Data(written.compressed).write(to: archive)
      #expect(try ChildProcess.output(tool, ["-d", "-c", archive.path]) == Data(written.tar))
      let flag = [ArchiveFormat.tarZstd: "--zstd", .tarGzip: "-z", .tarXz: "-J"][format]!
      let names = try ChildProcess.output("tar", [flag, "-tf", archive.path])
      #expect(String(decoding: names, as: UTF8.self).split(separator: "\n").count == 63)
      let members = try IndependentReader.list(archive, zip: false, zstd: format == .tarZstd, scratch: scratch)
      #expect(members.first { $0.nameHex == Array("docs/large.bin".utf8).hex }?.dataHex == written.large.hex)
    }
  }

  @Test("every frame decompresses on its own to its part of the tar", arguments: [0, 1, 2])
  func framesStandAlone(_ index: Int) throws {
    let written = try Self.write(Self.formats[index].format)
    for frame in written.frames {
      let stream = try ArchiveDecompressor(
        source: MemorySource(Array(written.compressed[Int(frame.compressedOffset)...])))
      var out: [UInt8] = []
      var buffer = [UInt8](repeating: 0, count: 50_000)
      while case let count = try buffer.withUnsafeMutableBytes({ try stream.read(into: $0) }), count > 0 {
        out += buffer[..<count]
      }
      #expect(out == Array(written.tar[Int(frame.uncompressedOffset)...]))
    }
  }

  @Test("a member is read from its frame and offset, and the seek table lists the frames")
  func seekToMember() throws {
    let written = try Self.write(.tarZstd)
    let compressed = written.compressed
    let table = try ZstdSeekTable.frames(fileSize: Int64(compressed.count)) { offset, count in
      Array(compressed[Int(offset)..<Int(offset) + count])
    }
    #expect(table == written.frames)
    for name in ["docs/file-37.txt", "docs/last.txt", "docs/large.bin"] {
      let offset = written.offsets[name]!
      let frame = try #require(ArchiveFrame.containing(offset, in: written.frames))
      let stream = try ArchiveDecompressor(source: MemorySource(Array(compressed[Int(frame.compressedOffset)...])))
      #expect(try stream.skip(offset - frame.uncompressedOffset))
      let reader = try ArchiveReader(source: stream)
      #expect(try reader.next()?.path == name)
    }
  }

  @Test("the xz streams' footers and indexes give the frames, read from the end")
  func xzStreams() throws {
    let written = try Self.write(.tarXz)
    let compressed = written.compressed
    let read = { (offset: Int64, count: Int) in Array(compressed[Int(offset)..<Int(offset) + count]) }
    #expect(try XzStreamIndex.frames(fileSize: Int64(compressed.count), read: read) == written.frames)
    // Stream padding between and after streams is allowed by the format and passed over.
    let padded = compressed + [0, 0, 0, 0, 0, 0, 0, 0]
    #expect(
      try XzStreamIndex.frames(fileSize: Int64(padded.count)) { Array(padded[Int($0)..<Int($0) + $1]) }
        == written.frames)
    let zeroStart = [UInt8](repeating: 0, count: 4) + compressed
    #expect(
      try XzStreamIndex.frames(fileSize: Int64(zeroStart.count)) { Array(zeroStart[Int($0)..<Int($0) + $1]) } == nil)
    let cut = Array(compressed.dropLast(5))
    #expect(try XzStreamIndex.frames(fileSize: Int64(cut.count)) { Array(cut[Int($0)..<Int($0) + $1]) } == nil)
  }

  @Test("a file that does not end with a seek table has none")
  func noSeekTable() throws {
    let bytes = Array("not a zstd file at all, just some text".utf8)
    #expect(try ZstdSeekTable.frames(fileSize: Int64(bytes.count)) { Array(bytes[Int($0)..<Int($0) + $1]) } == nil)
    var table = ZstdSeekTable.encode([(10, 20)])
    table[table.count - 9] = 2  // two frames claimed, one listed
    #expect(try ZstdSeekTable.frames(fileSize: Int64(table.count)) { Array(table[Int($0)..<Int($0) + $1]) } == nil)
  }
}

/// Passes every byte to two sinks.
private final class TeeSink: ArchiveSink {
  let first: any ArchiveSink
  let second: any ArchiveSink
  init(_ first: any ArchiveSink, _ second: any ArchiveSink) {
    self.first = first
    self.second = second
  }
  func write(_ bytes: UnsafeRawBufferPointer) throws {
    try first.write(bytes)
    try second.write(bytes)
  }
  func close() throws {
    try first.close()
    try second.close()
  }
}

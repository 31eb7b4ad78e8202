// ArchiveKitTests: a tar written on one side and compressed on the other is an ordinary
// compressed tar to independent tools, and the compressor's failures are the sink's.
import CellarTestSupport
import Foundation
import Testing

@testable import ArchiveKit

@Suite("ArchiveCompressor")
struct ArchiveCompressorTests {
  /// Each compressed format with the command-line tool that checks its stream.
  static let formats: [(format: ArchiveFormat, tool: String)] = [
    (.tarGzip, "gzip"), (.tarZstd, "zstd"), (.tarXz, "xz"),
  ]

  @Test("a tar written through it is a compressed tar that Python and the format's tool read", arguments: [0, 1, 2])
  func roundTrip(_ index: Int) throws {
    let (format, tool) = Self.formats[index]
    try withScratchDirectory { scratch in
      // More than the filters buffer, in uneven pieces, so the stream has many blocks.
      let data = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }
      let sink = MemorySink()
      let compressor = try ArchiveCompressor(format: format, level: 1, sink: sink)
      let writer = try ArchiveWriter(format: .tar, sink: compressor)
      try writer.writeDirectory(path: "docs", mtime: 1_700_000_000)
      try writer.beginFile(path: "docs/data.bin", size: Int64(data.count), mtime: 1_700_000_001)
      for start in stride(from: 0, to: data.count, by: 70_001) {
        try writer.write(Array(data[start..<min(start + 70_001, data.count)]))
      }
      try writer.finishFile()
      try writer.finish()
      #expect(sink.closeCount == 1)

      let archive = scratch.appendingPathComponent("out.\(format.fileExtension)")
      try Data(sink.bytes).write(to: archive)
      _ = try ChildProcess.output(tool, ["-t", archive.path])
      let members = try IndependentReader.list(archive, zip: false, zstd: format == .tarZstd, scratch: scratch)
      #expect(members.map(\.type) == ["dir", "file"])
      #expect(members.last?.dataHex == data.hex)
      #expect(members.last?.mtime == 1_700_000_001)
    }
  }

  @Test("refuses formats without a filter and levels out of range")
  func refuses() {
    for format in [ArchiveFormat.tar, .zip] {
      #expect(throws: ArchiveError.self) { try ArchiveCompressor(format: format, sink: MemorySink()) }
    }
    #expect(throws: ArchiveError.invalidLevel(format: .tarZstd, level: 22)) {
      try ArchiveCompressor(format: .tarZstd, level: 22, sink: MemorySink())
    }
  }

  @Test("a failing sink's error is thrown, and the compressor stays failed")
  func sinkFailure() throws {
    let compressor = try ArchiveCompressor(format: .tarGzip, sink: FailingSink(failOnWrite: true))
    let noise = (0..<1_000_000).map { UInt8(truncatingIfNeeded: $0 &* 40_503 >> 7) }
    var thrown: (any Error)?
    do {
      // gzip holds some output back; enough input (or the close) reaches the sink.
      for _ in 0..<8 { try noise.withUnsafeBytes { try compressor.write($0) } }
      try compressor.close()
    } catch {
      thrown = error
    }
    guard case .sink(let message) = thrown as? ArchiveError else {
      Issue.record("expected the sink's error, got \(String(describing: thrown))")
      return
    }
    #expect(message.contains("disk full (test)"))
    #expect(throws: ArchiveError.self) { try compressor.close() }
  }
}

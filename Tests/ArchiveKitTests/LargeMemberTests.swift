// ArchiveKitTests: a member far larger than any buffer goes through in bounded memory.
import CellarTestSupport
import DescriptorIO
import Foundation
import Testing

@testable import ArchiveKit

@Suite("Large members")
struct LargeMemberTests {
  /// 128 MiB, twice the 64 MiB that would hint at a member held whole.
  static let memberSize = 128 * 1024 * 1024
  /// How much the peak RSS may grow while writing and reading it back.
  static let allowedGrowth = 48 * 1024 * 1024

  /// Runs in a child process (an exit test), because the peak RSS it measures is per process
  /// and other tests, running in parallel, would otherwise add their own allocations to it.
  @Test("a 128 MiB member streams through tar.zst in chunks, in bounded memory")
  func largeMember() async {
    await #expect(processExitsWith: .success) {
      try LargeMemberTests.streamLargeMember()
    }
  }

  static func streamLargeMember() throws {
    try withScratchDirectory { dir in
      let archive = dir.appendingPathComponent("large.tar.zst")
      let written = dir.appendingPathComponent("written.sha256")
      let readBack = dir.appendingPathComponent("read.sha256")
      let chunkSize = 1024 * 1024
      let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
      defer { buffer.deallocate() }

      let baseline = try PeakMemory.reset()

      // Write: generate 1 MiB at a time, into the archive and into sha256sum's input file.
      try withOutputDescriptor(archive) { fd in
        try HashPipe.hash(into: written) { hashInput in
          // One thread: libzstd's worker threads keep about 50 MiB of job buffers each, a fixed
          // cost (see ArchiveWriter's "Threads") that would hide what this test looks for.
          let writer = try ArchiveWriter(format: .tarZstd, threads: 1, fileDescriptor: fd)
          try writer.writeDirectory(path: "data", mtime: 1_700_000_000)
          try writer.beginFile(path: "data/large.bin", size: Int64(memberSize), mtime: 1_700_000_000)
          var generator = TestData.Generator(state: 42)
          for _ in 0..<(memberSize / chunkSize) {
            generator.fill(buffer)
            try writer.write(UnsafeRawBufferPointer(buffer))
            try hashInput(UnsafeRawBufferPointer(buffer))
          }
          try writer.finishFile()
          try writer.finish()
        }
      }

      // Read back chunk by chunk with ArchiveReader.
      try HashPipe.hash(into: readBack) { hashInput in
        let reader = try ArchiveReader(path: archive.path)
        #expect(try reader.next()?.path == "data")
        let member = try #require(try reader.next())
        #expect(member.path == "data/large.bin")
        #expect(member.size == Int64(memberSize))
        var total = 0
        try reader.forEachChunk { chunk in
          #expect(chunk.count <= ArchiveReader.chunkSize)
          total += chunk.count
          try hashInput(chunk)
        }
        #expect(total == memberSize)
        #expect(try reader.next() == nil)
      }

      let growth = try PeakMemory.current() - baseline
      #expect(growth < allowedGrowth, "peak RSS grew by \(growth / 1024) KiB")

      // An independent reader: zstd and GNU tar extract the member; sha256sum hashes it.
      let independent = try ChildProcess.output(
        "sh", ["-c", "zstd -q -d -c \"$1\" | tar -xOf - data/large.bin | sha256sum", "sh", archive.path])
      let sums = try [written, readBack].map { try String(contentsOf: $0, encoding: .utf8) }
      let digests = (sums + [String(decoding: independent, as: UTF8.self)]).map { $0.prefix(64) }
      #expect(digests[0].count == 64)
      #expect(Set(digests).count == 1, "\(digests)")
    }
  }
}

/// The process's peak resident set size (VmHWM), which Linux lets a process reset.
enum PeakMemory {
  /// Resets the peak to the current RSS (writing "5" to clear_refs) and returns it.
  static func reset() throws -> Int {
    try "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    return try current()
  }

  /// VmHWM, in bytes.
  static func current() throws -> Int {
    let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
    let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") })
    let kilobytes = try #require(Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]))
    return kilobytes * 1024
  }
}

/// Feeds bytes to a `sha256sum` child through a pipe, so that no copy is kept in this process.
enum HashPipe {
  /// Runs `body` with a function that appends bytes to the hash; writes the digest line to
  /// `output` when `body` returns.
  static func hash(into output: URL, _ body: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
    let child = try ChildProcess.start("sha256sum", [], pipingInput: true)
    let input = try #require(child.input)
    do {
      try body { bytes in try DescriptorIO.writeAll(input.fileDescriptor, bytes) }
    } catch {
      _ = try? child.wait()
      throw error
    }
    let result = try child.wait()
    guard result.status == 0 else {
      throw ChildFailure(command: "sha256sum", status: result.status, stderr: result.stderr)
    }
    try result.stdoutData.write(to: output)
  }
}

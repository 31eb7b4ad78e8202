// ArchiveKitTests: an archive's last member found from its end (TarTail, ZipTail), on archives
// written by Python, and malformed indexes refused without a crash.
import CellarTestSupport
import Foundation
import Testing

@testable import ArchiveKit

@Suite("Tail indexes: TarTail, ZipTail, XzStreamIndex on foreign and malformed input")
struct TailIndexTests {
  static let manifest = ".cellar/manifest.json"

  /// Writes an archive with Python (`kind` tar or zip) holding `members` in order (name, then
  /// "text" or "binary" content), and prints each member's header offset.
  private func write(_ kind: String, _ members: [(String, String)], to url: URL) throws -> [String: Int64] {
    let script = """
      import io, json, os, sys, tarfile, zipfile
      kind, path, members = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
      offsets = {}
      def body(what):
          return ('{"node":1}\\n' * 3000).encode() if what == "text" else os.urandom(70000) + b"\\0" * 100
      if kind == "tar":
          with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as out:
              for name, what in members:
                  data = body(what)
                  info = tarfile.TarInfo(name)
                  info.size = len(data)
                  out.addfile(info, io.BytesIO(data))
          with tarfile.open(path) as back:
              offsets = {m.name: m.offset for m in back.getmembers()}
      else:
          with zipfile.ZipFile(path, "w") as out:
              for name, what in members:
                  out.writestr(name, body(what))
          offsets = {i.filename: i.header_offset for i in zipfile.ZipFile(path).infolist()}
      print(json.dumps(offsets))
      """
    let json = try JSONSerialization.data(withJSONObject: members.map { [$0.0, $0.1] })
    let output = try ChildProcess.output(
      "python3", ["-c", script, kind, url.path, String(decoding: json, as: UTF8.self)])
    return try JSONDecoder().decode([String: Int64].self, from: output)
  }

  private func reader(_ url: URL) throws -> (Int64, (Int64, Int) throws -> [UInt8]) {
    let bytes = [UInt8](try Data(contentsOf: url))
    return (Int64(bytes.count), { offset, count in Array(bytes[Int(offset)..<min(bytes.count, Int(offset) + count)]) })
  }

  @Test("a tar's last member, when it holds text, is found by its header; anything else is given up")
  func tarTail() throws {
    try withScratchDirectory { scratch in
      let good = scratch.appendingPathComponent("good.tar")
      let offsets = try write("tar", [("a.bin", "binary"), ("b.bin", "binary"), (Self.manifest, "text")], to: good)
      var (size, read) = try reader(good)
      #expect(try TarTail.lastHeader(named: Self.manifest, fileSize: size, read: read) == offsets[Self.manifest])

      let after = scratch.appendingPathComponent("after.tar")
      _ = try write("tar", [(Self.manifest, "text"), ("late.bin", "binary")], to: after)
      (size, read) = try reader(after)
      #expect(try TarTail.lastHeader(named: Self.manifest, fileSize: size, read: read) == nil)

      let none = scratch.appendingPathComponent("none.tar")
      _ = try write("tar", [("a.txt", "text")], to: none)
      (size, read) = try reader(none)
      #expect(try TarTail.lastHeader(named: Self.manifest, fileSize: size, read: read) == nil)
    }
  }

  @Test("a zip's last entry is found in the end of its central directory, and only when it is named so")
  func zipTail() throws {
    try withScratchDirectory { scratch in
      let good = scratch.appendingPathComponent("good.zip")
      let offsets = try write("zip", [("a.bin", "binary"), ("b.txt", "text"), (Self.manifest, "text")], to: good)
      var (size, read) = try reader(good)
      #expect(try ZipTail.lastEntryOffset(named: Self.manifest, fileSize: size, read: read) == offsets[Self.manifest])

      let other = scratch.appendingPathComponent("other.zip")
      _ = try write("zip", [(Self.manifest, "text"), ("last.bin", "binary")], to: other)
      (size, read) = try reader(other)
      #expect(try ZipTail.lastEntryOffset(named: Self.manifest, fileSize: size, read: read) == nil)

      let text = Array("not a zip at all".utf8)
      #expect(
        try ZipTail.lastEntryOffset(named: Self.manifest, fileSize: Int64(text.count)) { o, c in
          Array(text[Int(o)..<min(text.count, Int(o) + c)])
        } == nil)
    }
  }

  @Test("an xz index with sizes past 2^62, or more records than bytes, is refused, not trapped on")
  func malformedXzIndex() {
    let huge: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]
    #expect(XzStreamIndex.parseIndex([0x00, 0x01] + huge + [0x01]) == nil)
    #expect(XzStreamIndex.parseIndex([0x00, 0x02] + huge + huge) == nil)
    #expect(XzStreamIndex.parseIndex([0x00, 0x7F, 0x01]) == nil)
    #expect(XzStreamIndex.parseIndex([0x00, 0x01, 0x10, 0x20])?.blocks == 16)
  }
}

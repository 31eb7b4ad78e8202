// ArchiveKitTests: archives made by other tools that ArchiveReader must refuse, member by member.
import CellarTestSupport
import Foundation
import Testing

@testable import ArchiveKit

/// An archive crafted with Python (our writer refuses to make these) and what the reader says.
struct HostileCase: Sendable, CustomTestStringConvertible {
  /// The recipe name understood by `craftScript`.
  var recipe: String
  var zip: Bool
  var expected: ArchiveError

  var testDescription: String { recipe }

  static let all: [HostileCase] = [
    HostileCase(
      recipe: "tar-absolute", zip: false,
      expected: .unsafeMemberName(name: "/etc/cellar-evil", reason: "the name is absolute")),
    HostileCase(
      recipe: "tar-dotdot", zip: false,
      expected: .unsafeMemberName(name: "../evil", reason: #"the name has a ".." component"#)),
    HostileCase(
      recipe: "tar-inner-dotdot", zip: false,
      expected: .unsafeMemberName(name: "a/../../evil", reason: #"the name has a ".." component"#)),
    HostileCase(
      recipe: "tar-symlink", zip: false, expected: .unsupportedMemberType(name: "link", type: "symbolic link")),
    HostileCase(recipe: "tar-hardlink", zip: false, expected: .unsupportedMemberType(name: "hard", type: "hard link")),
    HostileCase(recipe: "tar-fifo", zip: false, expected: .unsupportedMemberType(name: "fifo", type: "FIFO")),
    HostileCase(
      recipe: "tar-chardev", zip: false, expected: .unsupportedMemberType(name: "tty", type: "character device")),
    HostileCase(
      recipe: "tar-blockdev", zip: false, expected: .unsupportedMemberType(name: "disk", type: "block device")),
    HostileCase(
      recipe: "tar-not-utf8", zip: false,
      expected: .unsafeMemberName(name: "bad\u{FFFD}.txt", reason: "the name is not valid UTF-8")),
    HostileCase(
      recipe: "tar-pax-override", zip: false,
      expected: .unsafeMemberName(name: "../evil", reason: #"the name has a ".." component"#)),
    HostileCase(
      recipe: "tar-gnu-longname", zip: false,
      expected: .unsafeMemberName(
        name: String(repeating: "long/", count: 30) + "../../../evil", reason: #"the name has a ".." component"#)),
    HostileCase(
      recipe: "zip-absolute", zip: true, expected: .unsafeMemberName(name: "/evil.txt", reason: "the name is absolute")),
    HostileCase(
      recipe: "zip-dotdot", zip: true,
      expected: .unsafeMemberName(name: "../evil.txt", reason: #"the name has a ".." component"#)),
    HostileCase(
      recipe: "zip-symlink", zip: true, expected: .unsupportedMemberType(name: "link", type: "symbolic link")),
  ]

  /// Writes each recipe's archive: `first.txt`, the hostile member, then `last.txt`.
  ///
  /// The last member lets the test check that reading goes on after a refusal. Every hostile member has data, so that
  /// skipping it without reading is also exercised.
  static let craftScript = #"""
    import io, stat, sys, tarfile, zipfile
    recipe, path = sys.argv[1], sys.argv[2]
    def add_tar(t, name, data=b"", type=tarfile.REGTYPE, **attrs):
        ti = tarfile.TarInfo(name)
        ti.type = type
        ti.mtime = 1700000000
        for k, v in attrs.items(): setattr(ti, k, v)
        ti.size = len(data) if type == tarfile.REGTYPE else 0
        t.addfile(ti, io.BytesIO(data) if type == tarfile.REGTYPE else None)
    if recipe.startswith("tar-"):
        kind = recipe[4:]
        # A GNU long name (././@LongLink) or a PAX path record overrides the header's own name.
        with tarfile.open(path, "w", format=tarfile.GNU_FORMAT if kind == "gnu-longname" else tarfile.PAX_FORMAT) as t:
            add_tar(t, "first.txt", b"first")
            if kind == "absolute": add_tar(t, "/etc/cellar-evil", b"evil")
            elif kind == "dotdot": add_tar(t, "../evil", b"evil")
            elif kind == "inner-dotdot": add_tar(t, "a/../../evil", b"evil")
            elif kind == "symlink": add_tar(t, "link", type=tarfile.SYMTYPE, linkname="/etc/passwd")
            elif kind == "hardlink": add_tar(t, "hard", type=tarfile.LNKTYPE, linkname="first.txt")
            elif kind == "fifo": add_tar(t, "fifo", type=tarfile.FIFOTYPE)
            elif kind == "chardev": add_tar(t, "tty", type=tarfile.CHRTYPE, devmajor=5, devminor=0)
            elif kind == "blockdev": add_tar(t, "disk", type=tarfile.BLKTYPE, devmajor=8, devminor=0)
            elif kind == "not-utf8": add_tar(t, b"bad\xff.txt".decode("utf-8", "surrogateescape"), b"x")
            elif kind == "pax-override": add_tar(t, "safe.txt", b"evil", pax_headers={"path": "../evil"})
            elif kind == "gnu-longname": add_tar(t, "long/" * 30 + "../../../evil", b"evil")
            else: sys.exit("unknown recipe " + recipe)
            add_tar(t, "last.txt", b"last")
    else:
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("first.txt", b"first")
            kind = recipe[4:]
            if kind == "absolute": z.writestr(zipfile.ZipInfo("/evil.txt"), b"evil")
            elif kind == "dotdot": z.writestr(zipfile.ZipInfo("../evil.txt"), b"evil")
            elif kind == "symlink":
                info = zipfile.ZipInfo("link")
                info.create_system = 3
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
                z.writestr(info, b"/etc/passwd")
            else: sys.exit("unknown recipe " + recipe)
            z.writestr("last.txt", b"last")
    """#
}

@Suite("Hostile archives")
struct HostileArchiveTests {
  /// Python stores a "/etc/..." or "../..." name as given; so must the reader see it, and refuse.
  @Test("refuses unsafe names and non-regular members, then goes on", arguments: HostileCase.all)
  func refuses(_ testCase: HostileCase) throws {
    try withScratchDirectory { dir in
      let archive = dir.appendingPathComponent("hostile.\(testCase.zip ? "zip" : "tar")")
      _ = try ChildProcess.output("python3", ["-c", HostileCase.craftScript, testCase.recipe, archive.path])
      let reader = try ArchiveReader(path: archive.path)
      #expect(try reader.next()?.path == "first.txt")
      #expect(throws: testCase.expected) { try reader.next() }
      // The refused member is passed over; its data never reaches the caller.
      let last = try #require(try reader.next())
      #expect(last.path == "last.txt")
      var data: [UInt8] = []
      try reader.forEachChunk { data.append(contentsOf: $0) }
      #expect(data == Array("last".utf8))
      #expect(try reader.next() == nil)
    }
  }

  /// NUL cannot be seen through libarchive: a stored name is cut at its first NUL.
  ///
  /// Names arrive as C strings, so "evil\0/../../x" is read as "evil" (ustar cuts the header
  /// field, pax values are copied up to the NUL). The
  /// hidden tail never reaches the caller, and what does arrive is checked as usual.
  @Test("a NUL in a stored name cuts the name there", arguments: ["ustar", "pax"])
  func nulInName(_ tarFormat: String) throws {
    try withScratchDirectory { dir in
      let archive = dir.appendingPathComponent("nul.tar")
      let script = #"""
        import io, sys, tarfile
        fmt = tarfile.USTAR_FORMAT if sys.argv[1] == "ustar" else tarfile.PAX_FORMAT
        with tarfile.open(sys.argv[2], "w", format=fmt) as t:
            for name in ["evil\x00/../../x", "\u00e9vil\x00/../../y"]:
                ti = tarfile.TarInfo(name); ti.size = 3
                t.addfile(ti, io.BytesIO(b"abc"))
        """#
      _ = try ChildProcess.output("python3", ["-c", script, tarFormat, archive.path])
      let members = try ReadBack.all(ArchiveReader(path: archive.path))
      // (Python's ustar writer puts the UTF-8 bytes of "é" straight into the name field.)
      #expect(members.map { Array($0.member.path.utf8) } == [Array("evil".utf8), Array("\u{E9}vil".utf8)])
      #expect(members.allSatisfy { !$0.member.path.utf8.contains(0) })
    }
  }

  @Test(
    "a truncated archive fails with libarchive's message",
    arguments: [ArchiveFormat.tar, .tarGzip, .tarZstd, .tarXz, .zip])
  func truncated(_ format: ArchiveFormat) throws {
    try withScratchDirectory { dir in
      let archive = dir.appendingPathComponent("whole.\(format.fileExtension)")
      try withOutputDescriptor(archive) { fd in
        try TestTree.write(to: ArchiveWriter(format: format, level: format == .zip ? 0 : nil, fileDescriptor: fd))
      }
      let bytes = try Data(contentsOf: archive)
      let cut = dir.appendingPathComponent("cut.\(format.fileExtension)")
      try bytes.prefix(bytes.count / 2).write(to: cut)
      let error = try #require(ReadBack.firstError(cut))
      guard case .library(_, _, let message) = error else {
        Issue.record("expected a libarchive error, got \(error)")
        return
      }
      #expect(!message.isEmpty)
    }
  }

  @Test("garbage and empty input fail with libarchive's message")
  func garbage() throws {
    try withScratchDirectory { dir in
      for (name, bytes) in [("garbage.bin", TestData.bytes(count: 5000, seed: 3)), ("empty.bin", [])] {
        let url = dir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        let error = ReadBack.firstError(url)
        guard case .library(_, _, let message)? = error else {
          Issue.record("\(name): expected a libarchive error, got \(String(describing: error))")
          continue
        }
        #expect(message.contains("Unrecognized archive format"), "\(name): \(message)")
      }
    }
  }

  @Test("a corrupt zip member fails its CRC check")
  func corruptData() throws {
    try withScratchDirectory { dir in
      let archive = dir.appendingPathComponent("store.zip")
      try withOutputDescriptor(archive) { fd in
        let writer = try ArchiveWriter(format: .zip, level: 0, fileDescriptor: fd)
        try writer.beginFile(path: "a.txt", size: 26, mtime: 1_700_000_000)
        try writer.write(Array("abcdefghijklmnopqrstuvwxyz".utf8))
        try writer.finishFile()
        try writer.finish()
      }
      var bytes = try [UInt8](Data(contentsOf: archive))
      let start = try #require(bytes.firstRange(of: Array("abcdefghij".utf8)))
      bytes[start.lowerBound + 3] ^= 0xFF
      try Data(bytes).write(to: archive)
      let error = ReadBack.firstError(archive)
      guard case .library(_, _, let message)? = error else {
        Issue.record("expected a libarchive error, got \(String(describing: error))")
        return
      }
      #expect(message.localizedCaseInsensitiveContains("crc"), "\(message)")
    }
  }
}

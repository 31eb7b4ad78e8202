// CellarEndToEndTests: `cellar cat` and `cellar extract` read only the frames that hold what they
// are asked for, check every byte against the manifest, and fall back to a full read (issue 18).
import CellarTestSupport
import CellsSandbox
import Foundation
import Testing

@Suite("cellar cat and extract")
struct ExtractTests {
  static let small = "common-files/Documents/Reports 2024/Q1/figures.csv"
  static let late = "common-files/Many/file-0420.txt"

  /// Backs the demo tree up (a 30 MiB file first, then some 1,500 small ones) in `formats`.
  private func withArchives(
    _ formats: [String], _ body: (Scratch, [String: String]) async throws -> Void
  ) async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    var archives: [String: String] = [:]
    try await withSandbox(seed: .demo) { sandbox in
      for format in formats {
        let archive = scratch.path("all.\(format)")
        let run = try await Cellar(sandbox: sandbox).run(["backup", "common-files", "-o", archive, "-q"])
        #expect(run.status == 0, "\(run.stderr)")
        archives[format] = archive
      }
    }
    try await body(scratch, archives)
  }

  /// What an independent tool extracts of `member`.
  private func reference(_ archive: String, _ member: String) throws -> Data {
    archive.hasSuffix(".zip")
      ? try ChildProcess.output("unzip", ["-p", archive, member])
      : try ChildProcess.output("bsdtar", ["-xOf", archive, member])
  }

  private func cellar(_ arguments: [String]) async throws -> ChildResult {
    try await ChildProcess.run(BuiltProduct.path("cellar"), arguments, environment: [:])
  }

  @Test("one small file reads under 1% of the archive, in every format that has an index")
  func readsOnlyItsFrames() async throws {
    try await withArchives(["tar", "tar.gz", "tar.zst", "tar.xz", "zip"]) { scratch, archives in
      for (format, archive) in archives {
        for path in [Self.small, Self.late] {
          let cat = try await cellar(["cat", archive, path])
          #expect(cat.status == 0, "\(format): \(cat.stderr)")
          #expect(cat.stdoutData == (try reference(archive, path)), "\(format) \(path)")

          let out = scratch.path("out-\(format)")
          let run = try await cellar(["extract", archive, path, "--to", out, "--json", "--overwrite"])
          #expect(run.status == 0, "\(format): \(run.stderr)")
          let summary = try run.lastJSONObject()
          #expect(summary["seeked"] as? Bool == true, "\(format)")
          let read = try #require(summary["archiveBytesRead"] as? Int)
          let size = try #require(summary["archiveBytes"] as? Int)
          #expect(read > 0 && read * 100 < size, "\(format): \(read) of \(size) bytes read for \(path)")
          #expect(FileManager.default.contents(atPath: out + "/" + path) == (try reference(archive, path)))
        }
      }
    }
  }

  @Test("a folder comes out as GNU tar extracts it, paths relative to the source accepted")
  func folderAsTarExtractsIt() async throws {
    try await withArchives(["tar.zst"]) { scratch, archives in
      let archive = archives["tar.zst"]!
      let out = scratch.path("out")
      let run = try await cellar(["extract", archive, "Documents", "common-files/Large", "--to", out, "-q"])
      #expect(run.status == 0, "\(run.stderr)")
      let reference = scratch.path("reference")
      try FileManager.default.createDirectory(atPath: reference, withIntermediateDirectories: true)
      _ = try ChildProcess.output(
        "tar", ["--zstd", "-xf", archive, "-C", reference, "common-files/Documents", "common-files/Large"])
      let diff = try await ChildProcess.run("diff", ["-r", reference, out])
      #expect(diff.status == 0, "\(diff.stdout)\(diff.stderr)")
      let leftovers = try await ChildProcess.run("find", [out, "-name", "*.partial"])
      #expect(leftovers.stdout.isEmpty)
    }
  }

  @Test("the manifest records where each member starts, as Python's tarfile and zipfile find it")
  func offsetsAreTheMembers() async throws {
    try await withArchives(["tar", "zip"]) { _, archives in
      let script = """
        import json, sys, tarfile, zipfile
        archive, sidecar = sys.argv[1], sys.argv[2]
        nodes = [json.loads(line.rstrip().rstrip(",")) for line in open(sidecar)
                 if line.startswith('{"') and '"offset"' in line]
        bad = 0
        if archive.endswith(".zip"):
            starts = {i.header_offset: i.filename.rstrip("/") for i in zipfile.ZipFile(archive).infolist()}
            bad = sum(1 for n in nodes if starts.get(n["offset"]) != n["path"])
        else:
            with open(archive, "rb") as f:
                for n in nodes:
                    f.seek(n["offset"])
                    member = tarfile.open(fileobj=f, mode="r|").next()
                    bad += member is None or member.name != n["path"]
        print(len(nodes), bad)
        """
      for (format, archive) in archives {
        let result = try ChildProcess.output("python3", ["-c", script, archive, archive + ".meta.json"])
        let counts = String(decoding: result, as: UTF8.self).split(separator: " ").compactMap {
          Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        #expect(counts.count == 2 && counts[0] > 1_500 && counts[1] == 0, "\(format): \(counts)")
      }
    }
  }

  @Test("a tampered member is detected and nothing is put in place")
  func tamperedMember() async throws {
    try await withArchives(["tar", "tar.zst"]) { scratch, archives in
      // Plain tar: one byte of the file's data, after its 512-byte header.
      let tar = archives["tar"]!
      let node = try #require(try Sidecar(path: tar + ".meta.json").nodesByPath[Array(Self.small.utf8)])
      try flipByte(in: tar, at: (node["offset"] as! Int) + 512 + 2)
      let cat = try await cellar(["cat", tar, Self.small])
      #expect(cat.status == 1)
      #expect(cat.stderr.contains("do not match the manifest"), "\(cat.stderr)")
      let out = scratch.path("out")
      let run = try await cellar(["extract", tar, Self.small, "--to", out])
      #expect(run.status == 3)
      #expect(!FileManager.default.fileExists(atPath: out + "/" + Self.small))

      // tar.zst: the first block header of the frame that holds the file (after the 6-byte frame
      // header of a stream whose size was not known), so that nothing after it decodes as written.
      let zst = archives["tar.zst"]!
      let zstSidecar = try Sidecar(path: zst + ".meta.json")
      let frames = try #require(zstSidecar.archive["frames"] as? [[Int]])
      let lateOffset = try #require(zstSidecar.nodesByPath[Array(Self.late.utf8)]?["offset"] as? Int)
      let holder = try #require(frames.last { $0[1] <= lateOffset })
      for offset in 6...8 { try flipByte(in: zst, at: holder[0] + offset) }
      let damaged = try await cellar(["extract", zst, Self.late, "--to", out])
      #expect(damaged.status != 0, "\(damaged.stderr)")
      #expect(!FileManager.default.fileExists(atPath: out + "/" + Self.late))
    }
  }

  @Test("without its sidecar an archive is entered through its own index: zstd and xz frames, zip, tar")
  func ownIndex() async throws {
    try await withArchives(["tar", "tar.zst", "tar.xz", "zip"]) { scratch, archives in
      for (format, archive) in archives {
        try FileManager.default.removeItem(atPath: archive + ".meta.json")
        let out = scratch.path("out-\(format)")
        let run = try await cellar(["extract", archive, Self.late, "--to", out, "--json"])
        #expect(run.status == 0, "\(format): \(run.stderr)")
        let summary = try run.lastJSONObject()
        #expect(summary["seeked"] as? Bool == true, "\(format)")
        let read = try #require(summary["archiveBytesRead"] as? Int)
        let size = try #require(summary["archiveBytes"] as? Int)
        // The manifest member is read too (600 KiB of text for the demo tree, less compressed).
        #expect(read * 10 < size, "\(format): \(read) of \(size) bytes read")
        #expect(run.stdout.contains(#""verified":true"#), "\(run.stdout)")
        #expect(FileManager.default.contents(atPath: out + "/" + Self.late) == (try reference(archive, Self.late)))
      }
    }
  }

  @Test("without an index the archive is read whole, and still checked against its manifest")
  func fallsBackToAFullRead() async throws {
    try await withArchives(["tar.gz", "tar.zst"]) { scratch, archives in
      // tar.gz carries no index of its own; a sidecar without offsets is an older cellar's.
      let zst = archives["tar.zst"]!
      let oldSidecar = scratch.path("old.meta.json")
      let text = try String(contentsOfFile: zst + ".meta.json", encoding: .utf8)
      try text.replacingOccurrences(of: #","offset":[0-9]+"#, with: "", options: .regularExpression)
        .write(toFile: oldSidecar, atomically: true, encoding: .utf8)
      let gz = archives["tar.gz"]!
      try FileManager.default.removeItem(atPath: gz + ".meta.json")
      let cases: [(String, [String])] = [(gz, []), (zst, ["--sidecar", oldSidecar])]
      for (index, (archive, extra)) in cases.enumerated() {
        let out = scratch.path("out-\(index)")
        let run = try await cellar(["extract", archive, Self.small, "--to", out, "--json"] + extra)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try run.lastJSONObject()["seeked"] as? Bool == false)
        #expect(run.stdout.contains(#""verified":true"#), "\(run.stdout)")
        #expect(FileManager.default.contents(atPath: out + "/" + Self.small) == (try reference(archive, Self.small)))
        let cat = try await cellar(["cat", archive, Self.small] + extra)
        #expect(cat.stdoutData == (try reference(archive, Self.small)))
      }
    }
  }

  @Test("local files, links and a misleading sidecar are not followed or overwritten")
  func hostileTargets() async throws {
    try await withArchives(["tar.gz"]) { scratch, archives in
      let archive = archives["tar.gz"]!
      let out = scratch.path("out")
      let elsewhere = scratch.path("elsewhere")
      try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
      try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
      try FileManager.default.createSymbolicLink(atPath: out + "/common-files", withDestinationPath: elsewhere)
      let linked = try await cellar(["extract", archive, Self.small, "--to", out])
      #expect(linked.status == 3)
      #expect(linked.stderr.contains("symbolic link"), "\(linked.stderr)")
      #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere).isEmpty)
      try FileManager.default.removeItem(atPath: out + "/common-files")

      #expect(try await cellar(["extract", archive, Self.small, "--to", out, "-q"]).status == 0)
      let local = out + "/" + Self.small
      try Data("mine".utf8).write(to: URL(fileURLWithPath: local))
      let kept = try await cellar(["extract", archive, Self.small, "--to", out])
      #expect(kept.status == 3)
      #expect(kept.stderr.contains("--overwrite"))
      #expect(FileManager.default.contents(atPath: local) == Data("mine".utf8))
      #expect(try await cellar(["extract", archive, Self.small, "--to", out, "--overwrite", "-q"]).status == 0)
      #expect(FileManager.default.contents(atPath: local) == (try reference(archive, Self.small)))

      // A sidecar that points the file at another member's offset.
      let sidecar = try Sidecar(path: archive + ".meta.json")
      let other = try #require(sidecar.nodesByPath[Array(Self.late.utf8)]?["offset"] as? Int)
      let mine = try #require(sidecar.nodesByPath[Array(Self.small.utf8)]?["offset"] as? Int)
      let misleading = scratch.path("misleading.meta.json")
      try String(contentsOfFile: archive + ".meta.json", encoding: .utf8)
        .replacingOccurrences(of: "\"offset\":\(mine),", with: "\"offset\":\(other),")
        .write(toFile: misleading, atomically: true, encoding: .utf8)
      let misled = try await cellar([
        "extract", archive, Self.small, "--to", scratch.path("misled"), "--sidecar", misleading,
      ])
      #expect(misled.status == 3)
      #expect(misled.stderr.contains("not found in the archive where it says"), "\(misled.stderr)")
      #expect(!FileManager.default.fileExists(atPath: scratch.path("misled") + "/" + Self.small))

      #expect(try await cellar(["extract", archive, "common-files/nothing-here", "--to", out]).status == 1)
      #expect(try await cellar(["extract", archive, "../etc", "--to", out]).status == 64)
      #expect(try await cellar(["cat", archive, "common-files/Documents"]).status == 1)
    }
  }

  private func flipByte(in path: String, at offset: Int) throws {
    let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
    defer { try? handle.close() }
    try handle.seek(toOffset: UInt64(offset))
    let byte = try #require(try handle.read(upToCount: 1)?.first)
    try handle.seek(toOffset: UInt64(offset))
    try handle.write(contentsOf: Data([byte ^ 0x5A]))
  }
}

// CellarEndToEndTests: `cellar restore --only` of an archive whose sidecar records where each
// member starts reads only the frames that hold the selected members (issue 18).
import CellarTestSupport
import CellsSandbox
import Foundation
import Testing

@Suite("cellar restore --only reads only what it restores")
struct SeekingRestoreTests {
  /// In the last frame (the 30 MiB file ends the first).
  static let small = "Many/file-0420.txt"
  static let large = "Large/video-30MiB.bin"

  /// Overwrites with zeros the middle of every frame of `archive` but two.
  ///
  /// The frame holding the member of `path` and the last (the manifest's own, with the seek
  /// table after it) are kept: a restore that reads any other frame fails. Each frame keeps its
  /// first and last 64 bytes, where an xz stream has its header, index and footer.
  private func destroyFrames(of archive: String, except path: String) throws {
    let sidecar = try Sidecar(path: archive + ".meta.json")
    let frames = try #require(sidecar.archive["frames"] as? [[Int]])
    let offset = try #require(sidecar.nodesByPath[Array(path.utf8)]?["offset"] as? Int)
    let kept = try #require(frames.lastIndex { $0[1] <= offset })
    try #require(frames.count >= 3 && kept < frames.count - 1)
    let handle = try FileHandle(forUpdating: URL(fileURLWithPath: archive))
    defer { try? handle.close() }
    for index in frames.indices.dropLast() where index != kept {
      try handle.seek(toOffset: UInt64(frames[index][0] + 64))
      try handle.write(contentsOf: Data(count: frames[index + 1][0] - frames[index][0] - 128))
    }
  }

  /// Runs `body` with the demo sandbox and a backup of `common-files` as `format`.
  private func withDemoBackup(
    _ format: String, _ body: (Sandbox, Cellar, String) async throws -> Void
  ) async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    try await withSandbox(seed: .demo) { sandbox in
      let cellar = Cellar(sandbox: sandbox)
      let archive = scratch.path("all.\(format)")
      let backup = try await cellar.run(["backup", "common-files", "-o", archive, "-q"])
      try #require(backup.status == 0, "\(backup.stderr)")
      try await body(sandbox, cellar, archive)
    }
  }

  @Test(
    "one file comes back from a tar.zst and a tar.gz whose other frames are destroyed",
    arguments: ["tar.zst", "tar.gz"])
  func readsOnlyItsFrames(format: String) async throws {
    try await withDemoBackup(format) { sandbox, cellar, archive in
      let original = try #require(try await SandboxDump.fetch(sandbox).node("pydiods1/" + Self.small))
      try destroyFrames(of: archive, except: "common-files/" + Self.small)

      let run = try await cellar.run(["restore", archive, "--only", Self.small, "--to", "common-files/back", "--json"])
      #expect(run.status == 0, "\(run.stderr)")
      let dump = try await SandboxDump.fetch(sandbox)
      let restored = try #require(dump.node("pydiods1/back/" + Self.small), "\(run.stdout)")
      #expect(restored.sha256 == original.sha256)
      #expect(restored.metaStore?["usermeta-tags"] == original.metaStore?["usermeta-tags"])
      #expect(dump.below("pydiods1/back").count == 2, "the file, and the folder its upload made")

      // What the destroyed frame held is refused, and nothing of it is uploaded.
      let large = try await cellar.run(["restore", archive, "--only", Self.large, "--to", "common-files/big", "-q"])
      #expect(large.status != 0, "\(large.stdout)")
      #expect(try await SandboxDump.fetch(sandbox).node("pydiods1/big/" + Self.large) == nil)
      // A full restore checks the whole archive first and refuses it.
      let whole = try await cellar.run(["restore", archive, "--to", "common-files/all", "-q"])
      #expect(whole.status != 0)
      #expect(whole.stderr.contains("nothing was uploaded"), "\(whole.stderr)")
    }
  }

  @Test(
    "without its sidecar, a tar.zst and a tar.xz give their own index: still only the frames needed are read",
    arguments: ["tar.zst", "tar.xz"])
  func ownIndex(format: String) async throws {
    try await withDemoBackup(format) { sandbox, cellar, archive in
      try destroyFrames(of: archive, except: "common-files/" + Self.small)
      try FileManager.default.removeItem(atPath: archive + ".meta.json")
      let run = try await cellar.run(["restore", archive, "--only", Self.small, "--to", "common-files/back", "-q"])
      #expect(run.status == 0, "\(run.stderr)")
      #expect(try await SandboxDump.fetch(sandbox).node("pydiods1/back/" + Self.small) != nil)
    }
  }

  @Test("restore --only of a zip brings back both spellings of a name: NFC and NFD are two files")
  func zipUnicodeTwins() async throws {
    try await withDemoBackup("zip") { sandbox, cellar, archive in
      // Before: read from their offsets, both members came back under the NFC name, so the NFD
      // file was checked against the NFC node and called damaged (exit 3).
      let run = try await cellar.run(["restore", archive, "--only", "Documents", "--to", "common-files/G", "-q"])
      #expect(run.status == 0, "\(run.stderr)")
      let dump = try await SandboxDump.fetch(sandbox)
      for name in ["caf\u{E9}.txt", "cafe\u{301}.txt"] {
        let original = try #require(dump.node("pydiods1/Documents/" + name))
        #expect(dump.node("pydiods1/G/Documents/" + name)?.sha256 == original.sha256, "\(name)")
      }
    }
  }

  @Test("a sidecar that points a file at another member's offset restores nothing of it")
  func misleadingSidecar() async throws {
    try await withDemoBackup("tar") { sandbox, cellar, archive in
      let sidecar = try Sidecar(path: archive + ".meta.json")
      let mine = try #require(sidecar.nodesByPath[Array(("common-files/" + Self.small).utf8)]?["offset"] as? Int)
      let other = try #require(
        sidecar.nodesByPath[Array("common-files/Documents/Reports 2024/Q1/figures.csv".utf8)]?["offset"] as? Int)
      let text = try String(contentsOfFile: archive + ".meta.json", encoding: .utf8)
      try text.replacingOccurrences(of: "\"offset\":\(mine),", with: "\"offset\":\(other),")
        .write(toFile: archive + ".meta.json", atomically: true, encoding: .utf8)

      let run = try await cellar.run(["restore", archive, "--only", Self.small, "--to", "common-files/back"])
      #expect(run.status == 3, "\(run.stderr)")
      #expect(run.stderr.contains("missing from the archive"), "\(run.stderr)")
      #expect(try await SandboxDump.fetch(sandbox).node("pydiods1/back/" + Self.small) == nil)
    }
  }
}

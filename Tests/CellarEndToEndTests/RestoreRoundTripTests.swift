// CellarEndToEndTests: a backup restored into another, empty server comes back whole: every
// node, every byte, every user-metadata value, on new Uuids.
import CellarTestSupport
import CellsSandbox
import Foundation
import Testing

@Suite("cellar restore: round trips through an archive")
struct RestoreRoundTripTests {
  @Test("the demo workspace, restored into an empty server, matches the original's dump")
  func demoIntoEmptyServer() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let archive = scratch.path("common-files.tar.gz")
    let original = try await RestoreScenario.backUpDemo(to: archive)
    try await withSandbox(seed: RestoreScenario.emptyServer) { target in
      let run = try await Cellar(sandbox: target).run(["restore", archive, "--json"])
      #expect(run.status == 0, "\(run.stderr)\n\(run.stdout.suffix(2000))")
      #expect(run.stdout.contains("\"event\":\"summary\""))
      // usermeta-stars did not exist there: the admin's restore created it from the manifest.
      #expect(run.stdout.contains("created the metadata namespaces usermeta-stars"))
      let restored = try await SandboxDump.fetch(target)
      RestoreScenario.expectSameTree(original, "pydiods1", restored, "pydiods1")
      let summary = restored.node("pydiods1/Documents/Reports 2024/summary.txt")
      #expect(summary?.metaStore?["usermeta-tags"] == "\"finance,2024\"")
      #expect(summary?.metaStore?["usermeta-stars"] == "\"4\"")
      #expect(summary?.metaStore?["bookmark:admin"] == "true")
      #expect(restored.node("pydiods1/Empty folder")?.type == "COLLECTION")
      #expect(restored.node("pydiods1/empty.txt")?.size == 0, "an empty file stays empty (no v4 space)")
    }
  }

  @Test("a 45 MiB file goes up in 10 MiB parts and keeps its Cells hash; a zip restores too")
  func largeFileMultipart() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    var seed = RestoreScenario.emptyServer
    seed.entries = [.file("pydiods1/big/blob.bin", .generated(size: 45 << 20))]
    let archive = scratch.path("big.zip")
    let original = try await withSandbox(seed: seed) { source in
      try await RestoreScenario.backup(source, "common-files/big", to: archive)
      return try await SandboxDump.fetch(source)
    }
    try await withSandbox(seed: RestoreScenario.emptyServer) { target in
      let run = try await Cellar(sandbox: target).run(["restore", archive, "--quiet"])
      #expect(run.status == 0, "\(run.stderr)")
      let restored = try await SandboxDump.fetch(target)
      RestoreScenario.expectSameTree(original, "pydiods1", restored, "pydiods1")
      let blob = restored.node("pydiods1/big/blob.bin")
      #expect(blob?.size == 45 << 20)
      #expect(blob?.metaStore?["x-cells-hash"] != nil)
      #expect(blob?.metaStore?["x-cells-hash"] == original.node("pydiods1/big/blob.bin")?.metaStore?["x-cells-hash"])
    }
  }

  @Test(
    "NFC and NFD spellings of a name stay two files, byte-exact, through backup, ls, verify and restore",
    arguments: ["tar", "tar.gz", "tar.zst", "tar.xz", "zip"])
  func unicodeTwins(_ format: String) async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let archive = scratch.path("docs.\(format)")
    let twins = ["common-files/Docs/caf\u{E9}.txt", "common-files/Docs/cafe\u{301}.txt"].map { Array($0.utf8) }
    let original = try await withSandbox(seed: RestoreScenario.smallTree) { source in
      try await RestoreScenario.backup(source, "common-files/Docs", to: archive)
      let cellar = Cellar(sandbox: source)
      // From the archive's own manifest too, the sidecar moved away.
      try FileManager.default.moveItem(atPath: archive + ".meta.json", toPath: scratch.path("moved.meta.json"))
      for arguments in [["ls", archive], ["ls", scratch.path("moved.meta.json")]] {
        let listed = try await cellar.run(arguments)
        #expect(listed.status == 0, "\(listed.stderr)")
        let lines = listed.stdoutData.split(separator: UInt8(ascii: "\n")).map { Array($0) }
        for twin in twins { #expect(lines.contains { $0.suffix(twin.count) == twin[...] }, "\(arguments)") }
      }
      let verify = try await cellar.run(["verify", archive])
      #expect(verify.status == 0, "\(verify.stderr)")
      try FileManager.default.moveItem(atPath: scratch.path("moved.meta.json"), toPath: archive + ".meta.json")
      let withSidecar = try await cellar.run(["verify", archive])
      #expect(withSidecar.status == 0, "\(withSidecar.stderr)")
      return try await SandboxDump.fetch(source)
    }
    try await withSandbox(seed: RestoreScenario.emptyServer) { target in
      let run = try await Cellar(sandbox: target).run(["restore", archive, "--quiet"])
      #expect(run.status == 0, "\(run.stderr)")
      let restored = try await SandboxDump.fetch(target)
      RestoreScenario.expectSameTree(original, "pydiods1", restored, "pydiods1")
      #expect(
        restored.node("pydiods1/Docs/caf\u{E9}.txt")?.sha256 != restored.node("pydiods1/Docs/cafe\u{301}.txt")?.sha256)
    }
  }
}

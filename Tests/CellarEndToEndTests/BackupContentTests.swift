// CellarEndToEndTests: a backup holds every node and every byte of what it covers, with the
// metadata verbatim, and the sidecar says so.
import CellarTestSupport
import CellsSandbox
import Foundation
import HashKit
import Testing

@Suite("cellar backup: what the archive and the sidecar hold")
struct BackupContentTests {
  @Test("every node and byte of a workspace, once each, metadata verbatim; the recycle bin left out")
  func wholeWorkspace() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      // A recycle bin to skip, and a dot-file among 1,500 children, which makes the REST paging
      // repeat items from one page to the next.
      try await sandbox.connection().rest.delete(["common-files/Documents/a #1 50% + more.txt"])
      try await sandbox.upload("common-files/Many/.cache", "dot-file in a big folder\n")
      let archive = scratch.path("common-files.tar.gz")

      let run = try await Cellar(sandbox: sandbox).run(["backup", "common-files", "--output", archive, "--quiet"])
      #expect(run.status == 0, "\(run.stderr)")

      let expected = try await SandboxDump.fetch(sandbox).backedUp(below: "pydiods1", as: "common-files")
      #expect(expected[Array("common-files/Many/.cache".utf8)] != nil)
      let expectedPaths = Set(expected.keys + [Array("common-files".utf8)])

      // The archive, read by Python: every node once, every file's bytes.
      let listing = try await ArchiveListing.read(archive)
      #expect(listing.members.last?.name == ".cellar/manifest.json")
      let members = listing.members.dropLast()
      #expect(members.count == expectedPaths.count, "each node exactly once")
      let memberPaths = Set(members.map { Array($0.name.utf8) })
      #expect(memberPaths.symmetricDifference(expectedPaths).map { String(decoding: $0, as: UTF8.self) } == [])
      for member in members where member.type == "file" {
        let node = expected[Array(member.name.utf8)]
        #expect(member.sha256 == node?.sha256, "\(member.name)")
        #expect(member.size == node?.size, "\(member.name)")
      }
      #expect(members.contains { $0.name == "common-files/Empty folder" && $0.type == "dir" })
      #expect(members.contains { $0.name == "common-files/empty.txt" && $0.size == 0 })
      #expect(members.filter { $0.name.hasPrefix("common-files/Documents/caf") }.count == 2, "NFC and NFD")

      // The sidecar: the same nodes, their hashes, MetaStore values and bookmarks.
      let sidecar = try Sidecar(path: archive + ".meta.json")
      #expect(sidecar.document["cellarManifest"] as? Int == 1)
      #expect(sidecar.nodes.count == expectedPaths.count)
      let recordedPaths = Set(sidecar.nodesByPath.keys)
      #expect(recordedPaths.symmetricDifference(expectedPaths).map { String(decoding: $0, as: UTF8.self) } == [])
      for (key, node) in expected {
        let path = node.path
        let recorded = sidecar.nodesByPath[key] ?? [:]
        #expect(recorded["uuid"] as? String == node.uuid, "\(path)")
        #expect(recorded["sha256"] as? String == node.sha256, "\(path)")
        let metaStore = recorded["metaStore"] as? [String: String] ?? [:]
        for (key, value) in node.metaStore ?? [:] where key.hasPrefix("usermeta-") {
          #expect(metaStore[key] == value, "\(path) \(key)")
        }
      }
      let summary = sidecar.nodesByPath[Array("common-files/Documents/Reports 2024/summary.txt".utf8)] ?? [:]
      let userMeta = summary["userMeta"] as? [[String: String]] ?? []
      #expect(userMeta.contains { $0["namespace"] == "bookmark" && $0["jsonValue"] == "true" })
      let namespaces = (sidecar.document["namespaces"] as? [[String: Any]] ?? []).compactMap {
        $0["Namespace"] as? String
      }
      #expect(Set(namespaces) == ["usermeta-tags", "usermeta-stars"])
      #expect(sidecar.summary["files"] as? Int == members.filter { $0.type == "file" }.count)
      #expect(sidecar.summary["errors"] as? Int == 0)

      // The sidecar vouches for the archive's bytes.
      let bytes = try Data(contentsOf: URL(fileURLWithPath: archive))
      let digest = try SHA256()
      try bytes.withUnsafeBytes { try digest.update($0) }
      #expect(sidecar.archive["sha256"] as? String == (try digest.finalize()).hex)
      #expect(sidecar.archive["bytes"] as? Int == bytes.count)
    }
  }

  @Test("a dot-file past the gateway's silent max-keys cut is still found")
  func dotFileBeyondMaxKeys() async throws {
    // "#" sorts before ".", so the S3 listing of this folder reaches the dot-file only after
    // 1,200 other names, past the 1,000 where the gateway cuts without saying so.
    var seed = Seed.minimal
    seed.entries =
      (1...1200).map { .file("pydiods1/crowd/#\($0)", .text("\($0)")) }
      + [.file("pydiods1/crowd/.late-dot-file", .text("found\n"))]
    try await withSandbox(seed: seed) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      let archive = scratch.path("crowd.tar")
      let run = try await Cellar(sandbox: sandbox).run(["backup", "common-files/crowd", "-o", archive, "-q"])
      #expect(run.status == 0, "\(run.stderr)")
      let members = try await ArchiveListing.read(archive).members
      #expect(members.contains { $0.name == "common-files/crowd/.late-dot-file" })
      #expect(members.count == 1203, "the folder, 1,200 files, the dot-file, the manifest")
    }
  }

  @Test("--include-recycle-bin keeps the recycle bin; --exclude and --include filter below the source")
  func filters() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      try await sandbox.connection().rest.delete(["common-files/Documents/a #1 50% + more.txt"])
      let cellar = Cellar(sandbox: sandbox)

      let withBin = scratch.path("bin.tar")
      #expect(
        try await cellar.run(["backup", "common-files", "-o", withBin, "-q", "--include-recycle-bin"]).status == 0)
      let binNames = try await ArchiveListing.read(withBin).members.map(\.name)
      #expect(binNames.contains("common-files/recycle_bin/a #1 50% + more.txt"))

      let filtered = scratch.path("filtered.tar")
      let run = try await cellar.run([
        "backup", "common-files", "-o", filtered, "-q", "--exclude", "Many", "--exclude", "Large",
        "--include", "**/*.txt",
      ])
      #expect(run.status == 0, "\(run.stderr)")
      let names = try await ArchiveListing.read(filtered).members.map(\.name)
      #expect(!names.contains { $0.hasPrefix("common-files/Many") || $0.hasPrefix("common-files/Large") })
      #expect(names.contains("common-files/Documents/Reports 2024/summary.txt"))
      #expect(!names.contains("common-files/Documents/Reports 2024/Q1/figures.csv"))
      #expect(names.contains("common-files/Documents/Reports 2024/Q1"), "folders stay")
    }
  }

  @Test("--dry-run counts what would be archived and writes nothing")
  func dryRun() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      let output = scratch.path("never.tar")
      let run = try await Cellar(sandbox: sandbox).run([
        "backup", "common-files/Documents", "-o", output, "--dry-run", "--json",
      ])
      #expect(run.status == 0, "\(run.stderr)")
      let events = run.stdout.split(separator: "\n").compactMap {
        try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
      }
      let summary = try #require(events.last)
      #expect(summary["event"] as? String == "summary")
      #expect(summary["files"] as? Int == 7)
      #expect(summary["folders"] as? Int == 4)
      #expect(summary["bytes"] as? Int == 68)
      #expect(events.filter { $0["event"] as? String == "node" }.count == 11)
      #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).isEmpty)
    }
  }
}

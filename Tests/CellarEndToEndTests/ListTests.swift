// CellarEndToEndTests: `cellar ls` lists what a backup holds from its sidecar, from the archive
// alone, or from a plain archive's members.
import CellarTestSupport
import CellsSandbox
import Foundation
import Testing

@Suite("cellar ls")
struct ListTests {
  /// The paths of `ls --json` output, as bytes.
  private func jsonPaths(_ output: String) throws -> [[UInt8]] {
    try output.split(separator: "\n").map { line in
      let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
      return Array((object?["path"] as? String ?? "").utf8)
    }
  }

  @Test("from the sidecar alone, from the archive alone, and in JSON: every node in archive order")
  func listsBackup() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let archive = scratch.path("docs.tar.gz")
    try await withSandbox(seed: RestoreScenario.smallTree) { sandbox in
      try await RestoreScenario.backup(sandbox, "common-files/Docs", to: archive)
      let cellar = Cellar(sandbox: sandbox)
      let sidecar = try Sidecar(path: archive + ".meta.json")
      let expected = sidecar.nodes.map { Array(($0["path"] as? String ?? "").utf8) }
      let members = try await ArchiveListing.read(archive).members.map { Array($0.name.utf8) }
      #expect(members.dropLast() == expected[...], "the manifest lists the members in archive order")

      let json = try await cellar.run(["ls", "--json", archive])
      #expect(json.status == 0, "\(json.stderr)")
      #expect(try jsonPaths(json.stdout) == expected)

      let text = try await cellar.run(["ls", archive])
      let lines = text.stdout.split(separator: "\n")
      #expect(lines.count == expected.count)
      #expect(
        lines.contains { $0.hasPrefix("-") && $0.hasSuffix("  common-files/Docs/plan.txt") && $0.contains(" 9  ") })
      #expect(lines.contains { $0.hasPrefix("d") && $0.hasSuffix("  common-files/Docs/Empty") })

      let long = try await cellar.run(["ls", "--long", archive])
      let plan = sidecar.nodes.first { $0["path"] as? String == "common-files/Docs/plan.txt" }!
      #expect(long.stdout.contains("\(plan["uuid"]!)  \(plan["contentHash"]!)  common-files/Docs/plan.txt"))
      #expect(long.stdout.contains("usermeta-tags = \"finance,2024\""), "\(long.stdout)")
      #expect(long.stdout.contains("bookmark = true"), "\(long.stdout)")

      // The archive is elsewhere: its sidecar alone answers, by either name.
      let moved = scratch.path("elsewhere.tar.gz")
      try FileManager.default.moveItem(atPath: archive, toPath: moved)
      for name in [archive, archive + ".meta.json"] {
        let alone = try await cellar.run(["ls", "--json", name])
        #expect(alone.status == 0, "\(alone.stderr)")
        #expect(try jsonPaths(alone.stdout) == expected)
      }
      // The sidecar is missing: the archive's own manifest answers.
      let fromArchive = try await cellar.run(["ls", "--json", moved])
      #expect(fromArchive.status == 0, "\(fromArchive.stderr)")
      #expect(try jsonPaths(fromArchive.stdout) == expected)

      // --members reads the members themselves, the manifest member included.
      let asStored = try await cellar.run(["ls", "--members", "--json", moved])
      #expect(try jsonPaths(asStored.stdout) == members)
    }
  }

  @Test("an archive not written by cellar is listed from its members; a missing one is a usage error")
  func plainArchive() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let tree = scratch.path("tree")
    try FileManager.default.createDirectory(atPath: tree + "/docs/empty", withIntermediateDirectories: true)
    try Data("hello\n".utf8).write(to: URL(fileURLWithPath: tree + "/docs/a.txt"))
    let archive = scratch.path("plain.tar")
    let tar = try await ChildProcess.run("tar", ["-cf", archive, "-C", tree, "docs"])
    try #require(tar.status == 0, "\(tar.stderr)")
    try await withSandbox(seed: RestoreScenario.emptyServer) { sandbox in
      let cellar = Cellar(sandbox: sandbox)
      let run = try await cellar.run(["ls", "--long", archive])
      #expect(run.status == 0, "\(run.stderr)")
      #expect(run.stderr.contains("has no manifest"), "\(run.stderr)")
      let lines = run.stdout.split(separator: "\n").map(String.init)
      #expect(lines.contains { $0.hasPrefix("d") && $0.hasSuffix("  docs/empty") }, "\(lines)")
      let sha = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"
      #expect(lines.contains { $0.hasPrefix("-") && $0.hasSuffix("  \(sha)  docs/a.txt") }, "\(lines)")

      let missing = try await cellar.run(["ls", scratch.path("nowhere.tar")])
      #expect(missing.status == 64, "\(missing.stderr)")
    }
  }
}

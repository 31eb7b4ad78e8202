// CellarEndToEndTests: a backup split over N processes (`--shard K/N`) run in parallel: the
// shards cover every node exactly once, restore together byte-identical, chain per shard, and
// are pruned and checked as one backup.
import CellarCore
import CellarTestSupport
import CellsSandbox
import Foundation
import Testing

@Suite("cellar backup --shard: a night split over parallel processes")
struct ShardTests {
  private static let count = 3

  /// The demo workspace with more folders, so that every shard gets some.
  private static var seed: Seed {
    var seed = Seed.demo
    for folder in 0..<12 {
      for file in 0..<4 {
        seed.entries.append(
          .file("pydiods1/Projects/p\(folder)/doc-\(file).txt", .text("project \(folder) file \(file)\n")))
      }
    }
    return seed
  }

  /// Runs the N shards of one backup at once, each its own process, into `folder`.
  private static func backUpShards(
    _ cellar: Cellar, into folder: String, since: Bool = false, set: String? = nil
  ) async throws {
    try await withThrowingTaskGroup(of: ChildResult.self) { group in
      for index in 0..<count {
        group.addTask {
          try await cellar.run(
            [
              "backup", "common-files", "--shard", "\(index)/\(count)", "--output",
              folder + "/night-%Y%m%d-%H%M%S.tar.zst",
              "--quiet",
            ] + (since ? ["--since", folder] : []) + (set.map { ["--shard-set", $0] } ?? []))
        }
      }
      for try await run in group { #expect(run.status == 0, "\(run.stderr)") }
    }
  }

  /// A new folder for the backups, in `scratch`.
  private static func backupFolder(in scratch: Scratch) throws -> String {
    let folder = scratch.path("backups")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    return folder
  }

  /// The newest archive of each shard in `folder`, in shard order.
  private static func newestShards(in folder: String) throws -> [ArchiveCatalog.Entry] {
    let catalog = try ArchiveCatalog.scan(folder)
    return try (0..<count).map { index in
      try #require(catalog.entries.last { $0.header.shard == ShardSpec(index: index, count: count) })
    }
  }

  @Test("3 shard processes in parallel: every node in exactly one shard, restored together byte-identical")
  func parallelShardsRestoreWhole() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let folder = try Self.backupFolder(in: scratch)
    let original = try await withSandbox(seed: Self.seed) { source in
      let cellar = Cellar(sandbox: source)
      try await Self.backUpShards(cellar, into: folder)
      let shards = try Self.newestShards(in: folder)
      #expect(Set(shards.map(\.archive)).count == Self.count)
      #expect(shards.allSatisfy { $0.archive.contains("-shard\($0.header.shard!.index)-of-\(Self.count).tar.zst") })

      // The shards' manifests together list every node of an unsharded backup, each once.
      let whole = try await cellar.run(["backup", "common-files", "-o", scratch.path("whole.tar"), "--quiet"])
      #expect(whole.status == 0, "\(whole.stderr)")
      let listed = try await cellar.run(["ls"] + shards.map(\.archive))
      #expect(listed.status == 0, "\(listed.stderr)")
      let everyNode = try await cellar.run(["ls", scratch.path("whole.tar")])
      // As bytes: Swift's String equality would take an NFC name and its NFD twin for one.
      let lines = { (text: String) in text.split(separator: "\n").map { Array($0.utf8) } }
      let shardLines = lines(listed.stdout)
      #expect(shardLines.count == Set(shardLines).count, "no node in two shards")
      #expect(Set(shardLines) == Set(lines(everyNode.stdout)) && shardLines.count == lines(everyNode.stdout).count)
      for shard in shards {
        let one = try await cellar.run(["ls", shard.archive])
        #expect(one.stdout.split(separator: "\n").count > 1, "shard \(shard.header.shard!) holds files")
      }

      // Drilled as one backup: the sample is drawn among the files of every shard.
      let drill = try await cellar.run(
        ["drill", "--sample", "200", "--scratch", "common-files/shard-drill"] + shards.map(\.archive))
      #expect(drill.status == 0 && drill.stdout.contains("all intact"), "\(drill.stdout)\(drill.stderr)")

      // Checked as one backup, against the server too; a missing shard is refused.
      let verify = try await cellar.run(["verify", "--remote", "--quiet"] + shards.map(\.archive))
      #expect(verify.status == 0, "\(verify.stderr)")
      let partial = try await cellar.run(["verify"] + shards.dropLast().map(\.archive))
      #expect(partial.status == 64 && partial.stderr.contains("shard 2/3 missing"), "\(partial.stderr)")

      // A sidecar that claims another shard than the one its nodes were chosen for is damage.
      let sidecar = shards[1].sidecar
      let text = try String(contentsOfFile: sidecar, encoding: .utf8)
      try text.replacingOccurrences(of: #""shard":{"count":3,"index":1}"#, with: #""shard":{"count":3,"index":0}"#)
        .write(toFile: scratch.path("claims0.meta.json"), atomically: true, encoding: .utf8)
      #expect(text.contains(#""shard":{"count":3,"index":1}"#), "\(text.prefix(400))")
      let claims = try await cellar.run(["verify", shards[1].archive, "--sidecar", scratch.path("claims0.meta.json")])
      #expect(claims.status == 3 && claims.stderr.contains("is not in shard 0/3"), "\(claims.stderr)")
      return try await SandboxDump.fetch(source)
    }
    try await withSandbox(seed: RestoreScenario.emptyServer) { target in
      let shards = try Self.newestShards(in: folder)
      // One shard alone would restore part of the tree as if it were all of it.
      let alone = try await Cellar(sandbox: target).run(["restore", "--quiet", shards[1].archive])
      #expect(alone.status == 64 && alone.stderr.contains("missing"), "\(alone.stderr)")
      let run = try await Cellar(sandbox: target).run(["restore", "--quiet"] + shards.map(\.archive).reversed())
      #expect(run.status == 0, "\(run.stderr)")
      RestoreScenario.expectSameTree(original, "pydiods1", try await SandboxDump.fetch(target), "pydiods1")
    }
  }

  @Test("the next night chains per shard; prune keeps each shard's backups apart")
  func incrementalPerShard() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let folder = try Self.backupFolder(in: scratch)
    try await withSandbox(seed: Self.seed) { source in
      let cellar = Cellar(sandbox: source)
      try await Self.backUpShards(cellar, into: folder, since: true, set: "night-1")
      let first = try Self.newestShards(in: folder)
      #expect(first.allSatisfy { !$0.isIncremental })
      try await source.upload("common-files/Projects/p3/doc-0.txt", "changed\n")
      try await Task.sleep(for: .seconds(1.1))
      try await Self.backUpShards(cellar, into: folder, since: true, set: "night-2")
      let second = try Self.newestShards(in: folder)
      // Shards of two runs are never taken for one backup: a folder moved between the nights
      // would be in neither, or in both.
      let mixed = try await cellar.run(["ls", first[0].archive, second[1].archive, second[2].archive])
      #expect(mixed.status == 64 && mixed.stderr.contains("different runs"), "\(mixed.stderr)")
      for (night1, night2) in zip(first, second) {
        #expect(night2.isIncremental)
        #expect(night2.header.base?.name == night1.record.name, "shard \(night2.header.shard!) chains to itself")
      }
      let prune = try await cellar.run(["prune", folder, "--keep-last", "1"])
      #expect(prune.status == 0, "\(prune.stderr)")
      // Each shard keeps its newest night and the base it needs: nothing of another shard is removed.
      #expect(try ArchiveCatalog.scan(folder).entries.count == 2 * Self.count, "\(prune.stdout)")
      let verify = try await cellar.run(["verify", "--quiet"] + second.map(\.archive))
      #expect(verify.status == 0, "\(verify.stderr)")
    }
  }

  @Test("a night with a failed shard: prune keeps every shard of the runs it keeps, so a whole night stays")
  func pruneKeepsRunsWhole() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let folder = try Self.backupFolder(in: scratch)
    try await withSandbox(seed: Self.seed) { source in
      let cellar = Cellar(sandbox: source)
      try await Self.backUpShards(cellar, into: folder, set: "night-1")
      try await Task.sleep(for: .seconds(1.1))
      // Night 2: shard 2 failed, only 0 and 1 were written.
      for index in 0..<2 {
        let run = try await cellar.run(
          [
            "backup", "common-files", "--shard", "\(index)/\(Self.count)", "--shard-set", "night-2", "-q", "--output",
            folder + "/night-%Y%m%d-%H%M%S.tar.zst",
          ])
        #expect(run.status == 0, "\(run.stderr)")
      }
      let prune = try await cellar.run(["prune", folder, "--keep-last", "1"])
      #expect(prune.status == 0, "\(prune.stderr)")
      let kept = try ArchiveCatalog.scan(folder).entries
      let night1 = kept.filter { $0.header.shardSet == "night-1" }
      #expect(night1.count == Self.count, "night 1 stays whole: \(prune.stdout)")
      let restore = try await cellar.run(["restore", "--dry-run", "-q"] + night1.map(\.archive))
      #expect(restore.status == 0, "\(restore.stderr)")
    }
  }
}

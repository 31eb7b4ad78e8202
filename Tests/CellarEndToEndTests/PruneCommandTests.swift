// CellarEndToEndTests: `cellar prune` on real backups: the policy per group of backups, and the
// folder's lock respected (issue 15, point 4).
import CellarTestSupport
import CellsSandbox
import Foundation
import Testing

@Suite("cellar prune: groups of backups, the folder's lock")
struct PruneCommandTests {
  @Test("--keep-last 1 keeps the newest backup of each group, prints the groups, waits for a backup's lock")
  func groupsAndLock() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      let cellar = Cellar(sandbox: sandbox)
      let template = scratch.path("%Y%m%d-%H%M%S.tar.gz")
      for source in ["personal-files", "common-files/Documents", "common-files/Documents"] {
        let run = try await cellar.run(["backup", source, "-o", template, "-q"])
        try #require(run.status == 0, "\(run.stderr)")
        try await Task.sleep(for: .seconds(1.1))  // distinct names and start times
      }
      let sidecars = try FileManager.default.contentsOfDirectory(atPath: scratch.url.path)
        .filter { $0.hasSuffix(".meta.json") }.sorted()
      try #require(sidecars.count == 3)

      // A backup holds the folder's lock (the kernel's flock, as RunLock takes it) for two
      // seconds: prune waits for it.
      let descriptor = open(scratch.path(".cellar.lock"), O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
      try #require(descriptor >= 0 && flock(descriptor, LOCK_EX) == 0)
      let release = Task {
        try await Task.sleep(for: .seconds(2))
        close(descriptor)
      }
      let started = ContinuousClock.now
      let run = try await cellar.run(["prune", scratch.url.path, "--keep-last", "1"])
      #expect(run.status == 0, "\(run.stderr)")
      #expect(run.stderr.contains("waiting for the lock"), "\(run.stderr)")
      #expect(ContinuousClock.now - started > .seconds(1), "it waited for the holder")
      try await release.value
      #expect(run.stdout.contains("sources personal-files: 1 backup"), "\(run.stdout)")
      #expect(run.stdout.contains("sources common-files/Documents: 2 backups"), "\(run.stdout)")
      let left = try FileManager.default.contentsOfDirectory(atPath: scratch.url.path)
        .filter { $0.hasSuffix(".meta.json") }.sorted()
      #expect(left == [sidecars[0], sidecars[2]], "the personal backup and the newest Documents one")
    }
  }
}

// CellarEndToEndTests: what a nightly cron job relies on: dated names, one run at a time per
// directory, a stale lock taken over, a time limit.
import CellarTestSupport
import CellsSandbox
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

@Suite("cellar backup: dated outputs, the lock, --max-duration")
struct NightlyRunTests {
  @Test("a templated --output is expanded in UTC; a second run waits while the lock is held")
  func templateAndWaitingOnTheLock() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      let lockPath = scratch.path(".cellar.lock")
      // Another run holds the lock for two seconds.
      let descriptor = open(lockPath, O_RDWR | O_CREAT, 0o644)
      try #require(descriptor >= 0 && flock(descriptor, LOCK_EX) == 0)
      _ = "pid 1 on elsewhere since then\n".withCString { write(descriptor, $0, strlen($0)) }
      let holder = Task {
        try await Task.sleep(for: .seconds(2))
        _ = ftruncate(descriptor, 0)
        flock(descriptor, LOCK_UN)
        close(descriptor)
      }
      let started = ContinuousClock.now
      let run = try await Cellar(sandbox: sandbox).run([
        "backup", "common-files/Documents", "-o", scratch.path("docs-%Y%m%d.tar.gz"),
      ])
      try await holder.value
      #expect(run.status == 0, "\(run.stderr)")
      #expect(ContinuousClock.now - started >= .seconds(2), "it waited for the lock")
      #expect(run.stderr.contains("waiting for the lock held by pid 1 on elsewhere"))
      #expect(!run.stderr.contains("stale"), "a lock released properly is not stale")
      let formatter = DateFormatter()
      formatter.dateFormat = "yyyyMMdd"
      formatter.timeZone = TimeZone(identifier: "UTC")
      let name = "docs-\(formatter.string(from: Date())).tar.gz"
      #expect(FileManager.default.fileExists(atPath: scratch.path(name)), "named by the UTC date")
      #expect(FileManager.default.fileExists(atPath: scratch.path(name + ".meta.json")))
      #expect(try String(contentsOfFile: lockPath, encoding: .utf8).isEmpty, "released on exit")
    }
  }

  @Test("a lock left by a process that died is taken over, and said so")
  func staleLock() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      let lockPath = scratch.path("nightly.lock")
      try "pid 999999 on this-host since 2026-01-01T02:00:00Z\n".write(
        toFile: lockPath, atomically: true, encoding: .utf8)
      let run = try await Cellar(sandbox: sandbox).run([
        "backup", "common-files/Documents", "-o", scratch.path("docs.tar"), "--lock", lockPath,
      ])
      #expect(run.status == 0, "\(run.stderr)")
      #expect(run.stderr.contains("took over a stale lock left by pid 999999"))
    }
  }

  @Test("--max-duration stops the run and removes the partial archive; usage errors for bad values")
  func maxDuration() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      let cellar = Cellar(sandbox: sandbox)
      let output = scratch.path("slow.tar")
      let run = try await cellar.run([
        "backup", "common-files", "-o", output, "--max-duration", "1s", "--bwlimit", "256K", "-q",
      ])
      #expect(run.status == 1)
      #expect(run.stderr.contains("stopped after --max-duration 1s"))
      #expect(!FileManager.default.fileExists(atPath: output))
      #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).isEmpty)
      let bad = try await cellar.run(["backup", "common-files", "-o", output, "--bwlimit", "fast"])
      #expect(bad.status == 64)
    }
  }
}

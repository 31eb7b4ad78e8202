// CellarEndToEndTests: a backup survives what a real server and a real night throw at it, and
// says clearly what it could not do.
import CellarTestSupport
import CellsSandbox
import Foundation
import Testing

@Suite("cellar backup: faults, expiry, refusals and interruptions")
struct BackupFaultTests {
  private func content(_ archive: String) async throws -> [[String]] {
    try await ArchiveListing.content(archive)
  }

  @Test("5% of requests failing with 503 and bodies cut mid-way give the same archive content as a clean run")
  func flakyServer() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      let cellar = Cellar(sandbox: sandbox)
      let clean = scratch.path("clean.tar.gz")
      #expect(try await cellar.run(["backup", "common-files", "-o", clean, "-q"]).status == 0)

      var faults = FaultSettings()
      faults.failRate = 0.05
      faults.cutRate = 0.05
      faults.seed = 42
      sandbox.setFaults(faults)
      let flaky = scratch.path("flaky.tar.gz")
      let run = try await cellar.run(["backup", "common-files", "-o", flaky, "--json", "--retries", "8"])
      sandbox.setFaults(FaultSettings())
      #expect(run.status == 0, "\(run.stderr)")
      #expect(run.stdout.contains("\"event\":\"warning\""), "retries are reported")
      #expect(try await content(flaky) == content(clean))
    }
  }

  @Test("folder listings answered empty ({}) are listed again until they agree with the folder's count")
  func emptyListings() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      let cellar = Cellar(sandbox: sandbox)
      let clean = scratch.path("clean.tar")
      #expect(try await cellar.run(["backup", "common-files", "-o", clean, "-q"]).status == 0)
      var faults = FaultSettings()
      // Each listing of a folder is three requests (REST pages, S3, the count): at 5% of them
      // empty, a folder's five tries all contradicting each other is a chance in 10,000.
      faults.failRate = 0.05
      faults.shapes = [.empty]
      faults.operations = ["tree/stats", "ListObjectsV2"]
      faults.seed = 5
      sandbox.setFaults(faults)
      let lied = scratch.path("lied.tar")
      let run = try await cellar.run(["backup", "common-files", "-o", lied, "-q"])
      sandbox.setFaults(FaultSettings())
      #expect(run.status == 0, "\(run.stderr)")
      #expect(try await content(lied) == content(clean))
    }
  }

  @Test("a folder whose listing stays empty against its count is an error of its own, exit 3, never an empty folder")
  func persistentlyEmptyListing() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      sandbox.setFaults(FaultSettings(failRate: 1, shapes: [.empty], operations: ["tree/stats"]))
      let archive = scratch.path("lied.tar")
      let run = try await Cellar(sandbox: sandbox).run(["backup", "common-files", "-o", archive])
      sandbox.setFaults(FaultSettings())
      #expect(run.status == 3, "\(run.stderr)")
      #expect(run.stderr.contains("contradicts itself"), "\(run.stderr)")
      let failed = try Sidecar(path: archive + ".meta.json").errors.compactMap { $0["path"] as? String }
      #expect(failed == ["common-files"])
    }
  }

  @Test("a session token expiring mid-run is renewed with the login's password")
  func tokenExpiry() async throws {
    var options = SandboxOptions()
    options.faults.latencyMilliseconds = 3
    try await withSandbox(seed: .demo, options: options) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      let archive = scratch.path("renewed.tar")
      let expected = try await SandboxDump.fetch(sandbox).backedUp(below: "pydiods1", as: "common-files")
      let started = ContinuousClock.now
      let expiry = Task {
        try await Task.sleep(for: .seconds(1.5))
        try sandbox.store.expireTokens(of: "admin")
      }
      let run = try await Cellar(sandbox: sandbox).run(
        ["backup", "common-files", "-o", archive, "-q", "--login", "admin", "--jobs", "2"],
        environment: ["CELLS_TOKEN": "", "CELLS_PASSWORD": "admin"])
      #expect(ContinuousClock.now - started > .seconds(1.5), "the tokens expired while the run went on")
      _ = try await expiry.value
      #expect(run.status == 0, "\(run.stderr)")
      #expect(try await ArchiveListing.read(archive).members.count == expected.count + 2)
    }
  }

  @Test("an expired personal token without a login is an authentication failure, exit 4, nothing left")
  func expiredToken() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      try sandbox.store.expireTokens(of: "admin")
      let run = try await Cellar(sandbox: sandbox).run(["backup", "common-files", "-o", scratch.path("x.tar")])
      #expect(run.status == 4, "\(run.stderr)")
      #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).isEmpty)
    }
  }

  @Test("a personal token expiring mid-run (no login to renew it) stops the run: exit 4, nothing left")
  func tokenExpiresMidRun() async throws {
    var options = SandboxOptions()
    options.faults.latencyMilliseconds = 3
    try await withSandbox(seed: .demo, options: options) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      let expiry = Task {
        try await Task.sleep(for: .seconds(1.5))
        try sandbox.store.expireTokens(of: "admin")
      }
      let run = try await Cellar(sandbox: sandbox).run(
        ["backup", "common-files", "-o", scratch.path("x.tar.gz"), "-q", "--jobs", "2"])
      _ = try await expiry.value
      #expect(run.status == 4, "\(run.stderr)")
      #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).isEmpty)
    }
  }

  @Test("a full disk is a clear error, exit 1, and leaves nothing behind")
  func fullDisk() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      let disk = scratch.path("small-disk")
      try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
      let mounted = try await ChildProcess.run("mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", disk])
      try #require(mounted.status == 0, "mounting a 4 MiB tmpfs needs root: \(mounted.stderr)")
      defer { _ = try? Process.run(URL(fileURLWithPath: "/bin/umount"), arguments: [disk]).waitUntilExit() }
      // The 30 MiB file does not fit.
      let run = try await Cellar(sandbox: sandbox).run(["backup", "common-files", "-o", disk + "/demo.tar", "-q"])
      #expect(run.status == 1, "\(run.stderr)")
      #expect(run.stderr.contains("the disk is full"), "\(run.stderr)")
      #expect(try FileManager.default.contentsOfDirectory(atPath: disk).isEmpty)
    }
  }

  @Test("unreadable folders are each listed, the rest is archived, exit 3")
  func unreadableSubtree() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      var faults = FaultSettings()
      faults.deniedPrefixes = ["common-files/Documents/Reports 2024", "common-files/Large"]
      sandbox.setFaults(faults)
      let archive = scratch.path("partial.tar")
      let run = try await Cellar(sandbox: sandbox).run(["backup", "common-files", "-o", archive])
      #expect(run.status == 3, "\(run.stderr)")
      #expect(run.stderr.contains("common-files/Documents/Reports 2024"))
      #expect(run.stderr.contains("common-files/Large"))
      let failed = try Sidecar(path: archive + ".meta.json").errors.compactMap { $0["path"] as? String }
      #expect(Set(failed) == ["common-files/Documents/Reports 2024", "common-files/Large"])
      let names = try await ArchiveListing.read(archive).members.map(\.name)
      #expect(names.contains("common-files/Many/file-1500.txt"))
      #expect(!names.contains("common-files/Documents/Reports 2024/summary.txt"))
    }
  }

  @Test("an unreadable file is a node error: listed on stderr and in the sidecar, the rest archived, exit 3")
  func unreadableFile() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      let denied = "common-files/Documents/Reports 2024/summary.txt"
      var faults = FaultSettings()
      faults.deniedPrefixes = [denied]
      sandbox.setFaults(faults)
      let archive = scratch.path("partial.tar.gz")
      let run = try await Cellar(sandbox: sandbox).run(["backup", "common-files/Documents", "-o", archive, "-q"])
      #expect(run.status == 3, "\(run.stderr)")
      #expect(run.stderr.contains(denied), "\(run.stderr)")
      let failed = try Sidecar(path: archive + ".meta.json").errors.compactMap { $0["path"] as? String }
      #expect(failed == [denied])
      let names = try await ArchiveListing.read(archive).members.map(\.name)
      #expect(!names.contains(denied))
      #expect(names.contains("common-files/Documents/Reports 2024"), "its folder is archived")
      #expect(names.contains { $0.hasPrefix("common-files/Documents/") && $0.hasSuffix(".txt") })
      #expect(try await Cellar(sandbox: sandbox).run(["verify", archive, "-q"]).status == 0)
    }
  }

  @Test("a file deleted on the server after it was listed is a node error: exit 3, the rest archived")
  func vanishedFile() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      // Two files too large to be read ahead: the second is downloaded only once the first is
      // in the archive, which --bwlimit makes last about 8 s. The second is deleted as soon as
      // the progress says both are listed (the listing can take seconds on a loaded machine).
      let (kept, gone) = ("common-files/Two/a.bin", "common-files/Two/b.bin")
      for path in [kept, gone] { try await sandbox.upload(path, String(repeating: "x", count: 8 << 20)) }
      let archive = scratch.path("two.tar")
      let events = scratch.path("events.jsonl")
      let deletion = Task {
        while !((try? String(contentsOfFile: events, encoding: .utf8)) ?? "").contains("\"filesSeen\":2") {
          try await Task.sleep(for: .milliseconds(100))
        }
        try await sandbox.connection().rest.delete([gone], permanently: true)
      }
      let run = try await ChildProcess.run(
        "/bin/sh",
        [
          "-c", "exec \"$0\" backup common-files/Two -o \"$1\" --json --bwlimit 1M > \"$2\"",
          BuiltProduct.path("cellar"), archive, events,
        ],
        environment: Cellar(sandbox: sandbox).environment)
      deletion.cancel()
      #expect(run.status == 3, "\(run.stderr)")
      let output = try String(contentsOfFile: events, encoding: .utf8)
      #expect(output.contains(gone), "\(output)")
      let errors = try Sidecar(path: archive + ".meta.json").errors
      #expect(errors.count == 1)
      #expect(errors.first?["path"] as? String == gone)
      let message = errors.first?["message"] as? String ?? ""
      #expect(message.contains("deleted on the server since it was listed"), "\(message)")
      let names = try await ArchiveListing.read(archive).members.map(\.name)
      #expect(names.contains(kept) && !names.contains(gone))
    }
  }

  @Test(
    "stopped by SIGINT, SIGTERM (exit 130, 143) or SIGKILL: no partial file, the old archive kept",
    arguments: [SIGINT, SIGTERM, SIGKILL])
  func interrupted(_ signal: Int32) async throws {
    var options = SandboxOptions()
    options.faults.latencyMilliseconds = 20
    try await withSandbox(seed: .demo, options: options) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      let archive = scratch.path("nightly.tar.gz")
      try Data("previous archive".utf8).write(to: URL(fileURLWithPath: archive))
      try Data("previous sidecar".utf8).write(to: URL(fileURLWithPath: archive + ".meta.json"))
      let run = try await Cellar(sandbox: sandbox).run(["backup", "common-files", "-o", archive, "-q", "--overwrite"]) {
        pid in
        Task {
          try await Task.sleep(for: .seconds(2))
          kill(pid, signal)
        }
      }
      let left = try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).sorted()
      #expect(left == ["nightly.tar.gz", "nightly.tar.gz.meta.json"])
      #expect(try String(contentsOfFile: archive, encoding: .utf8) == "previous archive")
      guard signal != SIGKILL else { return #expect(run.signaled) }
      #expect(run.status == 128 + signal, "\(run.stderr)")
      #expect(run.stderr.contains("interrupted"), "\(run.stderr)")
    }
  }

  @Test(
    "a backup killed with SIGKILL at some moment leaves the previous backup as it was, and the rerun succeeds",
    arguments: [0.3, 1.2, 2.5])
  func killedThenRerun(_ seconds: Double) async throws {
    var options = SandboxOptions()
    options.faults.latencyMilliseconds = 10
    try await withSandbox(seed: .demo, options: options) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      let cellar = Cellar(sandbox: sandbox)
      let archive = scratch.path("nightly.tar.zst")
      #expect(try await cellar.run(["backup", "common-files", "-o", archive, "-q"]).status == 0)
      let before = try [archive, archive + ".meta.json"].map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
      try await sandbox.upload("common-files/Documents/new.txt", "since the first backup\n")
      let killed = try await cellar.run(["backup", "common-files", "-o", archive, "-q", "--overwrite"]) { pid in
        Task {
          try await Task.sleep(for: .seconds(seconds))
          kill(pid, SIGKILL)
        }
      }
      #expect(killed.signaled, "killed before it finished")
      let left = try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).sorted()
      #expect(left == ["nightly.tar.zst", "nightly.tar.zst.meta.json"], "no partial file left")
      let after = try [archive, archive + ".meta.json"].map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
      #expect(after == before, "the previous backup is untouched")

      let rerun = try await cellar.run(["backup", "common-files", "-o", archive, "-q", "--overwrite"])
      #expect(rerun.status == 0, "\(rerun.stderr)")
      #expect(try await cellar.run(["verify", archive]).status == 0)
      #expect(try await ArchiveListing.read(archive).members.map(\.name).contains("common-files/Documents/new.txt"))
    }
  }

  @Test("a server failing every request, retries spent: exit 1, nothing under the output name")
  func retriesExhausted() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      var faults = FaultSettings()
      faults.failRate = 1
      faults.shapes = [.error, .reset, .cut, .throttle]
      sandbox.setFaults(faults)
      let run = try await Cellar(sandbox: sandbox).run(
        ["backup", "common-files", "-o", scratch.path("x.tar.gz"), "--retries", "2"])
      sandbox.setFaults(FaultSettings())
      #expect(run.status == 1, "\(run.stderr)")
      #expect(run.stderr.contains("error: stat common-files"), "\(run.stderr)")
      #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).isEmpty)
    }
  }
}

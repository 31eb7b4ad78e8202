// CellarEndToEndTests: restore refuses archives it cannot trust before it writes anything, and
// gets through interruptions and a flaky server.
import CellarTestSupport
import CellsSandbox
import Foundation
import Testing

@Suite("cellar restore: hostile archives, interruptions, failures")
struct RestoreSafetyTests {
  /// Writes a tar with Python's tarfile: a harmless file first, then `hostile` (Python code
  /// adding members to `t`).
  private func pythonTar(_ path: String, _ hostile: String) async throws {
    let script = """
      import io, sys, tarfile
      t = tarfile.open(sys.argv[1], "w", format=tarfile.PAX_FORMAT)
      def add(name, data=b"x", kind=tarfile.REGTYPE, link=""):
          info = tarfile.TarInfo(name); info.type = kind; info.linkname = link; info.size = len(data) if kind == tarfile.REGTYPE else 0
          t.addfile(info, io.BytesIO(data) if kind == tarfile.REGTYPE else None)
      add("common-files/ok.txt", b"harmless\\n")
      \(hostile)
      t.close()
      """
    let run = try await ChildProcess.run("python3", ["-c", script, path])
    try #require(run.status == 0, "\(run.stderr)")
  }

  @Test(
    "absolute names, .., links and devices are refused with nothing uploaded",
    arguments: [
      "add('/etc/evil.txt')", "add('common-files/../../evil.txt')",
      "add('common-files/link', kind=tarfile.SYMTYPE, link='/etc/passwd')",
      "add('common-files/hard', kind=tarfile.LNKTYPE, link='common-files/ok.txt')",
      "add('common-files/dev', kind=tarfile.CHRTYPE)",
    ])
  func hostileArchive(member: String) async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let archive = scratch.path("hostile.tar")
    try await pythonTar(archive, member)
    try await withSandbox(seed: RestoreScenario.emptyServer) { sandbox in
      let before = try await SandboxDump.fetch(sandbox)
      let run = try await Cellar(sandbox: sandbox).run(["restore", archive, "--quiet"])
      #expect(run.status == 1, "\(run.stderr)")
      #expect(run.stderr.contains("nothing was uploaded"), "\(run.stderr)")
      #expect(try await SandboxDump.fetch(sandbox).nodes.map(\.path) == before.nodes.map(\.path))
    }
  }

  @Test("a truncated archive, and a member its manifest does not list, are refused with nothing uploaded")
  func damagedArchives() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    try await withSandbox(seed: RestoreScenario.smallTree) { sandbox in
      let good = scratch.path("docs.tar")
      try await RestoreScenario.backup(sandbox, "common-files/Docs", to: good)
      try FileManager.default.removeItem(atPath: good + ".meta.json")

      // The second half of a compressed archive is gone; so is an uncompressed one's, whose
      // sidecar then tells (a tar cut at a block boundary reads as a shorter, plain tar).
      let compressed = scratch.path("docs.tar.gz")
      try await RestoreScenario.backup(sandbox, "common-files/Docs", to: compressed)
      try FileManager.default.removeItem(atPath: compressed + ".meta.json")
      try await RestoreScenario.backup(sandbox, "common-files/Docs", to: scratch.path("keep.tar"))
      try await sandbox.connection().rest.delete(["common-files/Docs"], permanently: true)
      let before = try await SandboxDump.fetch(sandbox)
      for (whole, sidecar) in [(compressed, nil), (scratch.path("keep.tar"), scratch.path("keep.tar.meta.json"))] {
        let truncated = scratch.path("truncated-" + URL(fileURLWithPath: whole).lastPathComponent)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: whole))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: truncated))
        let run = try await Cellar(sandbox: sandbox).run(
          ["restore", truncated, "--quiet"] + (sidecar.map { ["--sidecar", $0] } ?? []))
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains("nothing was uploaded"), "\(run.stderr)")
      }

      // A member slipped in before the manifest.
      let smuggled = scratch.path("smuggled.tar")
      let script = """
        import io, sys, tarfile
        src = tarfile.open(sys.argv[1]); out = tarfile.open(sys.argv[2], "w", format=tarfile.PAX_FORMAT)
        for m in src.getmembers():
            if m.name == ".cellar/manifest.json":
                extra = tarfile.TarInfo("common-files/Docs/intruder.txt"); extra.size = 3
                out.addfile(extra, io.BytesIO(b"bad"))
            out.addfile(m, src.extractfile(m) if m.isfile() else None)
        out.close()
        """
      let python = try await ChildProcess.run("python3", ["-c", script, good, smuggled])
      try #require(python.status == 0, "\(python.stderr)")
      let run = try await Cellar(sandbox: sandbox).run(["restore", smuggled, "--quiet"])
      #expect(run.status == 1, "\(run.stderr)")
      #expect(run.stderr.contains("intruder.txt"), "\(run.stderr)")
      #expect(try await SandboxDump.fetch(sandbox).nodes.map(\.path) == before.nodes.map(\.path))
    }
  }

  @Test(
    "a restore killed with SIGKILL at some moment, run again with --on-conflict skip, finishes the job",
    arguments: [0.7, 2.0, 3.5])
  func interruptedThenResumed(_ seconds: Double) async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let archive = scratch.path("common-files.tar.gz")
    let original = try await RestoreScenario.backUpDemo(to: archive)
    var options = SandboxOptions()
    options.latencyMilliseconds = 20
    try await withSandbox(seed: RestoreScenario.emptyServer, options: options) { target in
      let first = try await Cellar(sandbox: target).run(["restore", archive, "--quiet"]) { pid in
        Task {
          try await Task.sleep(for: .seconds(seconds))
          kill(pid, SIGKILL)
        }
      }
      #expect(first.signaled, "the first run was to be killed midway")
      target.setFaults(FaultSettings())
      let partial = try await SandboxDump.fetch(target).below("pydiods1")
      #expect(partial.count < original.below("pydiods1").count)

      let second = try await Cellar(sandbox: target).run(["restore", archive, "--quiet"])
      #expect(second.status == 0, "\(second.stderr)")
      RestoreScenario.expectSameTree(original, "pydiods1", try await SandboxDump.fetch(target), "pydiods1")
    }
  }

  @Test("Ctrl-C during a restore: exit 130, says what was restored and that the same command finishes it")
  func interruptedByCtrlC() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let archive = scratch.path("common-files.tar.gz")
    let original = try await RestoreScenario.backUpDemo(to: archive)
    var options = SandboxOptions()
    options.latencyMilliseconds = 20
    try await withSandbox(seed: RestoreScenario.emptyServer, options: options) { target in
      let first = try await Cellar(sandbox: target).run(["restore", archive, "--quiet"]) { pid in
        Task {
          try await Task.sleep(for: .seconds(2))
          kill(pid, SIGINT)
        }
      }
      #expect(first.status == 130, "\(first.stderr)")
      #expect(first.stderr.contains("were restored before the stop"), "\(first.stderr)")
      #expect(first.stderr.contains("running the same command again finishes the restore"), "\(first.stderr)")
      target.setFaults(FaultSettings())
      let second = try await Cellar(sandbox: target).run(["restore", archive, "--quiet"])
      #expect(second.status == 0, "\(second.stderr)")
      RestoreScenario.expectSameTree(original, "pydiods1", try await SandboxDump.fetch(target), "pydiods1")
    }
  }

  @Test("5% of requests answered 500 or 503: everything is still restored")
  func flakyServer() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    var seed = RestoreScenario.smallTree
    for i in 1...200 {
      seed.entries.append(
        .file("pydiods1/Docs/many/f\(i).txt", .text("file \(i)\n"), meta: ["usermeta-tags": "\"n\(i)\""]))
    }
    seed.entries.append(.file("pydiods1/Docs/large.bin", .generated(size: 25 << 20)))
    let archive = scratch.path("docs.tar.gz")
    let original = try await withSandbox(seed: seed) { source in
      try await RestoreScenario.backup(source, "common-files/Docs", to: archive)
      return try await SandboxDump.fetch(source)
    }
    var options = SandboxOptions()
    options.failRate = 0.05
    options.faultSeed = 42
    try await withSandbox(seed: RestoreScenario.emptyServer, options: options) { target in
      let run = try await Cellar(sandbox: target).run(["restore", archive, "--json", "--retries", "8"])
      target.setFaults(FaultSettings())
      #expect(run.status == 0, "\(run.stderr)\n\(run.stdout.suffix(3000))")
      #expect(run.stdout.contains("retry"), "faults were injected")
      RestoreScenario.expectSameTree(original, "pydiods1/Docs", try await SandboxDump.fetch(target), "pydiods1/Docs")
    }
  }
}

// CellarEndToEndTests: a backup never replaces another one unless asked, and never one an
// incremental backup is relative to (issue 15, point 1).
import CellarTestSupport
import CellsSandbox
import Foundation
import Testing

@Suite("cellar backup: existing archives are never replaced unless asked")
struct OverwriteTests {
  private static let documents = "common-files/Documents"

  @Test("full and incremental with the same dated name: numbered name, the chain restores")
  func sameMinuteIncremental() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    // The README's template names a minute; a day's resolution collides the same way and keeps
    // the two runs in one name however slow a loaded machine is (minutes apart).
    let template = scratch.path("cf-%Y%m%d.tar.gz")
    let original = try await withSandbox(seed: .demo) { sandbox in
      let cellar = Cellar(sandbox: sandbox)
      var utc = Calendar(identifier: .gregorian)
      utc.timeZone = TimeZone(identifier: "UTC")!
      let now = utc.dateComponents([.hour, .minute], from: Date())
      if now.hour == 23, now.minute ?? 0 >= 50 { try await Task.sleep(for: .seconds(11 * 60)) }
      var run = try await cellar.run(["backup", Self.documents, "-o", template, "-q"])
      try #require(run.status == 0, "\(run.stderr)")
      try await sandbox.upload("\(Self.documents)/late.txt", "written after the full backup\n")
      run = try await cellar.run(["backup", Self.documents, "-o", template, "--since", scratch.url.path])
      try #require(run.status == 0, "\(run.stderr)")
      let names = try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).sorted()
      let archives = names.filter { $0.hasSuffix(".tar.gz") }.sorted { $0.count < $1.count }
      try #require(archives.count == 2, "\(names)")
      #expect(archives[1] == archives[0].replacingOccurrences(of: ".tar.gz", with: "-2.tar.gz"))
      #expect(run.stderr.contains("already exists: this backup is written as"), "\(run.stderr)")
      let incremental = scratch.path(archives[1])
      let base = try Sidecar(path: incremental + ".meta.json").document["base"] as? [String: Any]
      #expect(base?["name"] as? String == archives[0])
      run = try await cellar.run(["verify", "--chain", incremental])
      #expect(run.status == 0, "\(run.stderr)")
      return (try await SandboxDump.fetch(sandbox), incremental)
    }
    try await withSandbox(seed: RestoreScenario.emptyServer) { target in
      let run = try await Cellar(sandbox: target).run(["restore", original.1, "--chain", "--quiet"])
      #expect(run.status == 0, "\(run.stderr)")
      RestoreScenario.expectSameTree(
        original.0, "pydiods1/Documents", try await SandboxDump.fetch(target), "pydiods1/Documents")
    }
  }

  @Test("a full backup over an existing name is refused and the archive kept; --overwrite replaces it")
  func fixedNameRefused() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      let cellar = Cellar(sandbox: sandbox)
      let output = scratch.path("docs.tar")
      #expect(try await cellar.run(["backup", Self.documents, "-o", output, "-q"]).status == 0)
      let before = try Data(contentsOf: URL(fileURLWithPath: output))
      let sidecarBefore = try Data(contentsOf: URL(fileURLWithPath: output + ".meta.json"))
      try await sandbox.upload("\(Self.documents)/late.txt", "new\n")
      var run = try await cellar.run(["backup", Self.documents, "-o", output])
      #expect(run.status == 64, "\(run.stderr)")
      #expect(run.stderr.contains("\(output) already exists"), "\(run.stderr)")
      #expect(run.stderr.contains("--overwrite"))
      #expect(try Data(contentsOf: URL(fileURLWithPath: output)) == before)
      #expect(try Data(contentsOf: URL(fileURLWithPath: output + ".meta.json")) == sidecarBefore)
      // A sidecar alone (its archive moved away) also holds the name.
      let sidecarOnly = scratch.path("other.tar")
      try sidecarBefore.write(to: URL(fileURLWithPath: sidecarOnly + ".meta.json"))
      run = try await cellar.run(["backup", Self.documents, "-o", sidecarOnly, "-q"])
      #expect(run.status == 64, "\(run.stderr)")
      #expect(!FileManager.default.fileExists(atPath: sidecarOnly))

      // That copy claims docs.tar too: --overwrite would leave it describing another archive.
      run = try await cellar.run(["backup", Self.documents, "-o", output, "--overwrite", "-q"])
      #expect(run.status == 64, "\(run.stderr)")
      #expect(run.stderr.contains("would replace part of the backup"), "\(run.stderr)")
      try FileManager.default.removeItem(atPath: sidecarOnly + ".meta.json")
      run = try await cellar.run(["backup", Self.documents, "-o", output, "--overwrite", "-q"])
      #expect(run.status == 0, "\(run.stderr)")
      #expect(try Data(contentsOf: URL(fileURLWithPath: output)) != before)
      let members = try await ArchiveListing.read(output).members.map(\.name)
      #expect(members.contains("\(Self.documents)/late.txt"))
    }
  }

  @Test("--overwrite never replaces a backup an incremental in the folder is relative to")
  func overwriteKeepsBases() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      let cellar = Cellar(sandbox: sandbox)
      let full = scratch.path("full.tar.zst")
      let incremental = scratch.path("inc.tar.zst")
      #expect(try await cellar.run(["backup", Self.documents, "-o", full, "-q"]).status == 0)
      var run = try await cellar.run([
        "backup", Self.documents, "-o", incremental, "-q", "--since", full + ".meta.json",
      ])
      try #require(run.status == 0, "\(run.stderr)")
      let before = try Data(contentsOf: URL(fileURLWithPath: full))
      run = try await cellar.run(["backup", Self.documents, "-o", full, "--overwrite"])
      #expect(run.status == 64, "\(run.stderr)")
      #expect(run.stderr.contains("is the base of \(incremental).meta.json"), "\(run.stderr)")
      // The run's own base, too (the reported "is its own base").
      run = try await cellar.run(["backup", Self.documents, "-o", incremental, "--overwrite", "--since", incremental])
      #expect(run.status == 64, "\(run.stderr)")
      // Nor through a side door: the base's archive named as this run's sidecar, or its sidecar
      // as this run's archive (found by an independent tester).
      let sideDoors: [[String]] = [
        ["-o", scratch.path("new.tar"), "--sidecar", full],
        ["-o", full + ".meta.json", "--format", "tar"],
        ["-o", full + ".meta.json", "--format", "tar", "--since", full],
        ["-o", scratch.path("other.tar"), "--sidecar", incremental],
      ]
      for arguments in sideDoors {
        run = try await cellar.run(["backup", Self.documents, "--overwrite", "-q"] + arguments)
        #expect(run.status == 64, "\(arguments): \(run.stderr)")
      }
      #expect(try Data(contentsOf: URL(fileURLWithPath: full)) == before)
      run = try await cellar.run(["verify", "--chain", incremental, "-q"])
      #expect(run.status == 0, "\(run.stderr)")
      // The sidecar named as the archive itself is a usage error before anything is written.
      run = try await cellar.run([
        "backup", Self.documents, "-o", scratch.path("x.tar"), "--sidecar", scratch.path("x.tar"),
      ])
      #expect(run.status == 64, "\(run.stderr)")
      #expect(run.stderr.contains("is the archive's own name"), "\(run.stderr)")
      #expect(!FileManager.default.fileExists(atPath: scratch.path("x.tar")))
      // --since naming an archive whose sidecar is elsewhere says what to give.
      try FileManager.default.moveItem(atPath: full + ".meta.json", toPath: scratch.path("moved.json"))
      run = try await cellar.run(["backup", Self.documents, "-o", scratch.path("y.tar"), "--since", full])
      #expect(run.status == 64, "\(run.stderr)")
      #expect(run.stderr.contains("is not a sidecar"), "\(run.stderr)")
    }
  }
}

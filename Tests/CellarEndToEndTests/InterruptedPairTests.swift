// CellarEndToEndTests: a backup killed between renaming its archive and renaming its sidecar
// never leaves a new archive beside an old sidecar, and what it leaves is completed later.
import CellarTestSupport
import CellsSandbox
import Foundation
import Testing

@Suite("cellar backup: the archive and its sidecar stay a pair")
struct InterruptedPairTests {
  /// Runs `cellar backup … -o archive` under strace with its second rename (the sidecar's)
  /// delayed, and kills it with SIGKILL inside that window.
  private func backUpKilledBetweenRenames(_ sandbox: Sandbox, _ archive: String) async throws {
    let cellar = Cellar(sandbox: sandbox)
    let sidecar = archive + ".meta.json"
    let strace = [
      "-f", "-qq", "-o", "/dev/null", "-e", "trace=rename", "-e", "inject=rename:delay_enter=20000000:when=2",
      BuiltProduct.path("cellar"), "backup", "common-files/Documents", "-o", archive, "-q", "--overwrite",
    ]
    let run = try await ChildProcess.run("strace", strace, environment: cellar.environment, timeout: .seconds(300)) {
      pid in
      Task {
        // The previous sidecar is removed just before the archive is renamed; the new one is
        // renamed 20 s later (a window a loaded machine cannot miss). Kill the backup (strace's
        // child) in between.
        // Under strace -f on a loaded machine the backup can take minutes to get there.
        let deadline = ContinuousClock.now + .seconds(280)
        while FileManager.default.fileExists(atPath: sidecar), ContinuousClock.now < deadline {
          try await Task.sleep(for: .milliseconds(50))
        }
        try await Task.sleep(for: .seconds(1))
        _ = try await ChildProcess.run("pkill", ["-KILL", "-P", String(pid)])
      }
    }
    #expect(run.status != 0, "the backup was killed")
  }

  @Test("killed between the renames: the new archive stands alone, and verify puts its sidecar in place")
  func killedBetweenRenames() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      let archive = scratch.path("docs.tar")
      let cellar = Cellar(sandbox: sandbox)
      #expect(try await cellar.run(["backup", "common-files/Documents", "-o", archive, "-q"]).status == 0)
      let old = try Data(contentsOf: URL(fileURLWithPath: archive))
      try await sandbox.upload("common-files/Documents/new.txt", "since the first backup\n")

      try await backUpKilledBetweenRenames(sandbox, archive)
      let left = try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).sorted()
      #expect(left == ["docs.tar", "docs.tar.meta.json.partial"], "no old sidecar beside the new archive")
      #expect(try Data(contentsOf: URL(fileURLWithPath: archive)) != old, "the new archive is in place")

      let verify = try await cellar.run(["verify", archive])
      #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
      #expect(verify.stderr.contains("put in place"), "\(verify.stderr)")
      #expect(
        try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).sorted() == [
          "docs.tar", "docs.tar.meta.json",
        ])
      let names = try await ArchiveListing.read(archive).members.map(\.name)
      #expect(names.contains("common-files/Documents/new.txt"))
    }
  }

  @Test("a partial sidecar of another archive is left alone and said, the archive verified by its own manifest")
  func unrelatedPartialSidecar() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      let cellar = Cellar(sandbox: sandbox)
      let first = scratch.path("first.tar")
      let second = scratch.path("second.tar")
      #expect(try await cellar.run(["backup", "common-files/Documents", "-o", first, "-q"]).status == 0)
      #expect(try await cellar.run(["backup", "common-files/Empty folder", "-o", second, "-q"]).status == 0)
      try FileManager.default.removeItem(atPath: second + ".meta.json")
      try FileManager.default.moveItem(atPath: first + ".meta.json", toPath: second + ".meta.json.partial")
      let verify = try await cellar.run(["verify", second])
      #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
      #expect(verify.stderr.contains("not used: it records another archive"), "\(verify.stderr)")
      #expect(FileManager.default.fileExists(atPath: second + ".meta.json.partial"))
    }
  }

  @Test("an incremental's --since DIR completes an interrupted pair and takes that archive as its base")
  func sinceDirectoryCompletes() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      let cellar = Cellar(sandbox: sandbox)
      let full = scratch.path("full.tar")
      #expect(try await cellar.run(["backup", "common-files/Documents", "-o", full, "-q"]).status == 0)
      try FileManager.default.moveItem(atPath: full + ".meta.json", toPath: full + ".meta.json.partial")
      let incremental = scratch.path("incremental.tar")
      let run = try await cellar.run(
        ["backup", "common-files/Documents", "-o", incremental, "--since", scratch.url.path, "-q"])
      #expect(run.status == 0, "\(run.stderr)")
      #expect(FileManager.default.fileExists(atPath: full + ".meta.json"))
      let files = try await ArchiveListing.read(incremental).members.filter { $0.type == "file" }.map(\.name)
      #expect(files == [".cellar/manifest.json"], "nothing changed since the completed base")
    }
  }

  @Test("--since DIR whose only sidecar is damaged takes a full backup and says which sidecar could not be read")
  func sinceDirectoryDamagedSidecar() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      let cellar = Cellar(sandbox: sandbox)
      let full = scratch.path("full.tar")
      #expect(try await cellar.run(["backup", "common-files/Documents", "-o", full, "-q"]).status == 0)
      let sidecar = try Data(contentsOf: URL(fileURLWithPath: full + ".meta.json"))
      try sidecar.prefix(300).write(to: URL(fileURLWithPath: full + ".meta.json"))
      let run = try await cellar.run(
        ["backup", "common-files/Documents", "-o", scratch.path("next.tar"), "--since", scratch.url.path])
      #expect(run.status == 0, "\(run.stderr)")
      #expect(run.stderr.contains("taking a full backup"), "\(run.stderr)")
      #expect(run.stderr.contains("sidecars that could not be read: \(full).meta.json"), "\(run.stderr)")
      #expect(try Sidecar(path: scratch.path("next.tar.meta.json")).document["base"] == nil, "a full backup")
    }
  }
}

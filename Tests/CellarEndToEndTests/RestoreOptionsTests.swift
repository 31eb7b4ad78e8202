// CellarEndToEndTests: where a restore writes and what it does with what is already there:
// --to, --only, each --on-conflict policy, --dry-run, plain archives, a plain user's rights.
import CellarTestSupport
import CellsSandbox
import Foundation
import Testing

@Suite("cellar restore: destination, selection and conflicts")
struct RestoreOptionsTests {
  /// Runs `body` with a sandbox holding `RestoreScenario.smallTree` and a backup of its `Docs`.
  private func withDocsBackup(_ body: (Sandbox, String) async throws -> Void) async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    try await withSandbox(seed: RestoreScenario.smallTree) { sandbox in
      let archive = scratch.path("docs.tar.zst")
      try await RestoreScenario.backup(sandbox, "common-files/Docs", to: archive)
      try await body(sandbox, archive)
    }
  }

  @Test("--to puts the tree in another workspace, metadata included")
  func intoAnotherFolder() async throws {
    try await withDocsBackup { sandbox, archive in
      let run = try await Cellar(sandbox: sandbox).run(["restore", archive, "--to", "projects/from-docs", "--quiet"])
      #expect(run.status == 0, "\(run.stderr)")
      let dump = try await SandboxDump.fetch(sandbox)
      RestoreScenario.expectSameTree(dump, "pydiods1/Docs", dump, "cellsdata/projects/from-docs")
      #expect(dump.node("cellsdata/projects/from-docs/Empty")?.metaStore?["usermeta-tags"] == "\"empty\"")
    }
  }

  @Test("--only restores one file, and nothing else")
  func onlyOneFile() async throws {
    try await withDocsBackup { sandbox, archive in
      let run = try await Cellar(sandbox: sandbox).run([
        "restore", archive, "--to", "common-files/one", "--only", "plan.txt", "--quiet",
      ])
      #expect(run.status == 0, "\(run.stderr)")
      let restored = try await SandboxDump.fetch(sandbox).below("pydiods1/one")
      #expect(restored.keys.map { String(decoding: $0, as: UTF8.self) } == ["plan.txt"])
      #expect(restored[Array("plan.txt".utf8)]?.metaStore?["usermeta-tags"] == "\"finance,2024\"")
    }
  }

  @Test("--only takes the path as cellar ls prints it; a pattern that matches nothing is an error")
  func onlyAsListed() async throws {
    try await withDocsBackup { sandbox, archive in
      let cellar = Cellar(sandbox: sandbox)
      let listed = try await cellar.run(["ls", archive])
      try #require(listed.stdout.contains("common-files/Docs/sub/deep.txt"), "\(listed.stdout)")
      var run = try await cellar.run(["restore", archive, "--to", "projects/listed", "--only", "common-files/Docs/sub"])
      #expect(run.status == 0, "\(run.stderr)")
      let restored = try await SandboxDump.fetch(sandbox).below("cellsdata/projects/listed")
      #expect(restored.keys.map { String(decoding: $0, as: UTF8.self) }.sorted() == ["sub", "sub/deep.txt"])

      let before = try await SandboxDump.fetch(sandbox)
      run = try await cellar.run(["restore", archive, "--to", "projects/none", "--only", "common-files/Nothing/here"])
      #expect(run.status == 64, "\(run.stderr)")
      #expect(run.stderr.contains("nothing in \(archive) matches"), "\(run.stderr)")
      #expect(try await SandboxDump.fetch(sandbox).nodes.map(\.path) == before.nodes.map(\.path))
      // Each pattern must match: a typo beside a good pattern is named too.
      run = try await cellar.run([
        "restore", archive, "--to", "projects/two", "--only", "plan.txt", "--only", "plan.tx", "--dry-run",
      ])
      #expect(run.status == 64, "\(run.stderr)")
      #expect(run.stderr.contains("--only plan.tx: nothing in"), "\(run.stderr)")
    }
  }

  @Test("on-conflict: skip keeps, overwrite replaces in place, rename adds name (1), fail writes nothing")
  func conflictPolicies() async throws {
    try await withDocsBackup { sandbox, archive in
      let cellar = Cellar(sandbox: sandbox)
      try await sandbox.upload("common-files/Docs/plan.txt", "changed since the backup\n")
      let changed = try await SandboxDump.fetch(sandbox).node("pydiods1/Docs/plan.txt")

      // fail: a conflict stops the run before anything is written.
      try await sandbox.connection().rest.delete(["common-files/Docs/notes.md"], permanently: true)
      var run = try await cellar.run(["restore", archive, "--on-conflict", "fail", "--quiet"])
      #expect(run.status == 1)
      #expect(run.stderr.contains("already exists"), "\(run.stderr)")
      #expect(try await SandboxDump.fetch(sandbox).node("pydiods1/Docs/notes.md") == nil, "nothing written")

      // skip (the default): the changed file stays, named as differing (exit 3: not a clean
      // skip); the deleted one comes back.
      run = try await cellar.run(["restore", archive, "--json"])
      #expect(run.status == 3, "\(run.stderr)")
      #expect(run.stdout.contains("differs from the archive"), "\(run.stdout)")
      #expect(run.stdout.contains("common-files/Docs/plan.txt"))
      var dump = try await SandboxDump.fetch(sandbox)
      #expect(dump.node("pydiods1/Docs/plan.txt")?.sha256 == changed?.sha256)
      #expect(dump.node("pydiods1/Docs/notes.md") != nil)

      // rename: the archived file lands beside the changed one.
      run = try await cellar.run(["restore", archive, "--on-conflict", "rename", "--only", "plan.txt", "--quiet"])
      #expect(run.status == 0, "\(run.stderr)")
      dump = try await SandboxDump.fetch(sandbox)
      let renamed = dump.node("pydiods1/Docs/plan (1).txt")
      #expect(renamed?.sha256 != changed?.sha256)
      #expect(renamed?.metaStore?["usermeta-tags"] == "\"finance,2024\"")
      #expect(dump.node("pydiods1/Docs/plan.txt")?.sha256 == changed?.sha256)

      // overwrite: the archived content replaces the changed one, in the same node.
      run = try await cellar.run(["restore", archive, "--on-conflict", "overwrite", "--only", "plan.txt", "--quiet"])
      #expect(run.status == 0, "\(run.stderr)")
      dump = try await SandboxDump.fetch(sandbox)
      let overwritten = dump.node("pydiods1/Docs/plan.txt")
      #expect(overwritten?.sha256 == renamed?.sha256)
      #expect(overwritten?.uuid == changed?.uuid)
    }
  }

  @Test("a file where an archived folder belongs: the folder is an error under skip and overwrite (exit 3)")
  func folderBlockedByFile() async throws {
    try await withDocsBackup { sandbox, archive in
      let cellar = Cellar(sandbox: sandbox)
      try await sandbox.connection().rest.delete(["common-files/Docs/sub"], permanently: true)
      try await sandbox.upload("common-files/Docs/sub", "a file took the folder's name\n")
      let blocking = try await SandboxDump.fetch(sandbox).node("pydiods1/Docs/sub")
      for policy in ["skip", "overwrite"] {
        let run = try await cellar.run(["restore", archive, "--on-conflict", policy, "--json"])
        // Nothing of the folder's subtree reached the server: a script must hear of it.
        #expect(run.status == 3, "\(policy): \(run.stdout) \(run.stderr)")
        let errors = run.stdout.split(separator: "\n").filter { $0.contains("\"event\":\"error\"") }
        #expect(errors.contains { $0.contains("\"path\":\"common-files/Docs/sub\"") }, "\(policy): \(run.stdout)")
        #expect(run.stdout.contains("common-files/Docs/sub/deep.txt"), "\(policy): the subtree is named")
        let dump = try await SandboxDump.fetch(sandbox)
        #expect(dump.node("pydiods1/Docs/sub")?.sha256 == blocking?.sha256, "\(policy): the file stays")
        #expect(dump.node("pydiods1/Docs/sub/deep.txt") == nil)
      }
    }
  }

  @Test("--dry-run prints the plan on standard output and leaves the server as it was")
  func dryRun() async throws {
    try await withDocsBackup { sandbox, archive in
      try await sandbox.connection().rest.delete(["common-files/Docs/sub"], permanently: true)
      let before = try await SandboxDump.fetch(sandbox)
      let run = try await Cellar(sandbox: sandbox).run(["restore", archive, "--to", "projects/new", "--dry-run"])
      #expect(run.status == 0, "\(run.stderr)")
      #expect(run.stdout.contains("create + metadata usermeta-tags projects/new/Empty"), "\(run.stdout)")
      #expect(run.stdout.contains("upload + metadata bookmark, usermeta-stars, usermeta-tags projects/new/plan.txt"))
      #expect(!run.stderr.contains("projects/new/plan.txt"), "the plan is not mixed with the progress")
      #expect(run.stderr.contains("restore (dry run) done"), "\(run.stderr)")
      let after = try await SandboxDump.fetch(sandbox)
      #expect(after.nodes.map(\.path) == before.nodes.map(\.path))
      #expect(after.nodes.map(\.metaStore) == before.nodes.map(\.metaStore))
      // A file that differs on the server is in the plan too (and an error: exit 3).
      try await sandbox.upload("common-files/Docs/plan.txt", "changed on the server\n")
      let conflict = try await Cellar(sandbox: sandbox).run(["restore", archive, "--dry-run"])
      #expect(conflict.status == 3, "\(conflict.stderr)")
      #expect(conflict.stdout.contains("differs common-files/Docs/plan.txt ("), "\(conflict.stdout)")
    }
  }

  @Test("a plain user: namespaces they cannot create are reported per node, the rest restored")
  func plainUserMissingNamespace() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let archive = scratch.path("docs.tar.gz")
    try await withSandbox(seed: RestoreScenario.smallTree) { source in
      try await RestoreScenario.backup(source, "common-files/Docs", to: archive)
    }
    try await withSandbox(seed: RestoreScenario.emptyServer) { target in
      let run = try await Cellar(sandbox: target, login: "alice").run([
        "restore", archive, "--to", "personal-files/restored",
      ])
      #expect(run.status == 3, "\(run.stderr)")
      #expect(run.stderr.contains("plan.txt: metadata not restored: namespace usermeta-stars"), "\(run.stderr)")
      let plan = try await SandboxDump.fetch(target).node("personal/alice/restored/plan.txt")
      #expect(plan?.metaStore?["usermeta-tags"] == "\"finance,2024\"")
      #expect(plan?.metaStore?["usermeta-stars"] == nil)
    }
  }

  @Test("a plain tar czf archive, with no manifest, restores its files and folders")
  func plainTar() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let tree = scratch.url.appendingPathComponent("tree")
    try FileManager.default.createDirectory(
      at: tree.appendingPathComponent("sub/empty"), withIntermediateDirectories: true)
    try Data("alpha\n".utf8).write(to: tree.appendingPathComponent("a.txt"))
    try Data("beta\n".utf8).write(to: tree.appendingPathComponent("sub/b.txt"))
    let archive = scratch.path("plain.tar.gz")
    _ = try await ChildProcess.run("tar", ["czf", archive, "-C", tree.path, "."])
    try await withSandbox(seed: RestoreScenario.emptyServer) { sandbox in
      let run = try await Cellar(sandbox: sandbox).run(["restore", archive, "--to", "common-files/plain", "-v"])
      #expect(run.status == 0, "\(run.stderr)")
      #expect(run.stderr.contains("no manifest"), "\(run.stderr)")
      let restored = try await SandboxDump.fetch(sandbox).below("pydiods1/plain")
      let names = Set(restored.keys.map { String(decoding: $0, as: UTF8.self) })
      #expect(names == ["a.txt", "sub", "sub/b.txt", "sub/empty"])
      #expect(restored[Array("sub/b.txt".utf8)]?.size == 5)
    }
  }
}

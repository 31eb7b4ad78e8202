// CellarEndToEndTests: `cellar verify` passes a good archive and names each kind of damage (data,
// manifest, sidecar, archive), and `--remote` sees what changed on the server since the backup.
import CellarTestSupport
import CellsSandbox
import Foundation
import Testing

@Suite("cellar verify")
struct VerifyTests {
  /// A backup of the small tree as an uncompressed tar (so that bytes can be changed in place)
  /// with its sidecar, handed to `body` with the sandbox.
  private func withBackup(_ body: (Sandbox, String, Scratch) async throws -> Void) async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let archive = scratch.path("docs.tar")
    try await withSandbox(seed: RestoreScenario.smallTree) { sandbox in
      try await RestoreScenario.backup(sandbox, "common-files/Docs", to: archive)
      try await body(sandbox, archive, scratch)
    }
  }

  /// Replaces the one occurrence of `old` in the file at `path` by `new` (same length).
  private func replace(_ old: String, with new: String, in path: String) throws {
    let url = URL(fileURLWithPath: path)
    var bytes = Array(try Data(contentsOf: url))
    let needle = Array(old.utf8)
    let at = try #require(
      (0...(bytes.count - needle.count)).first { bytes[$0..<$0 + needle.count].elementsEqual(needle) },
      "\(old) not found in \(path)")
    bytes.replaceSubrange(at..<at + needle.count, with: Array(new.utf8))
    try Data(bytes).write(to: url)
  }

  /// The error events of a `--json` run: (path, message).
  private func errors(_ output: String) throws -> [(path: String, message: String)] {
    try output.split(separator: "\n").compactMap { line in
      let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
      guard object["event"] as? String == "error" else { return nil }
      return (object["path"] as? String ?? "", object["message"] as? String ?? "")
    }
  }

  @Test("a good archive verifies: exit 0, every node counted, with or without its sidecar")
  func goodArchive() async throws {
    try await withBackup { sandbox, archive, scratch in
      let cellar = Cellar(sandbox: sandbox)
      let run = try await cellar.run(["verify", archive, "--json"])
      #expect(run.status == 0, "\(run.stderr)\n\(run.stdout)")
      let summary = try #require(run.stdout.split(separator: "\n").last)
      let object = try JSONSerialization.jsonObject(with: Data(summary.utf8)) as? [String: Any] ?? [:]
      let sidecar = try Sidecar(path: archive + ".meta.json")
      #expect(object["event"] as? String == "summary")
      #expect(object["files"] as? Int == sidecar.summary["files"] as? Int)
      #expect(object["folders"] as? Int == sidecar.summary["folders"] as? Int)
      #expect(object["errors"] as? Int == 0)

      // Without its sidecar, against its own manifest; a gzip archive too.
      try FileManager.default.removeItem(atPath: archive + ".meta.json")
      let alone = try await cellar.run(["verify", archive])
      #expect(alone.status == 0, "\(alone.stderr)")
      let compressed = scratch.path("docs.tar.gz")
      try await RestoreScenario.backup(sandbox, "common-files/Docs", to: compressed)
      let gz = try await cellar.run(["verify", compressed, "--quiet"])
      #expect(gz.status == 0 && gz.stderr.isEmpty, "\(gz.stderr)")
    }
  }

  @Test("damaged data: the file is named, exit 3")
  func damagedData() async throws {
    try await withBackup { sandbox, archive, _ in
      try replace("the plan\n", with: "the PLAN\n", in: archive)
      let run = try await Cellar(sandbox: sandbox).run(["verify", archive, "--json"])
      #expect(run.status == 3, "\(run.stderr)")
      let found = try errors(run.stdout)
      #expect(found.contains { $0.path == "common-files/Docs/plan.txt" && $0.message.hasPrefix("data: ") }, "\(found)")
      #expect(found.contains { $0.message.hasPrefix("archive: its SHA-256 is") }, "\(found)")
      #expect(!found.contains { $0.message.hasPrefix("sidecar") }, "\(found)")

      // Without the sidecar the archive's own manifest still catches it.
      try FileManager.default.removeItem(atPath: archive + ".meta.json")
      let alone = try await Cellar(sandbox: sandbox).run(["verify", archive])
      #expect(alone.status == 3)
      #expect(alone.stderr.contains("common-files/Docs/plan.txt: data: "), "\(alone.stderr)")
    }
  }

  @Test("damaged manifest member, a member missing, a member added: each named, exit 3")
  func damagedManifest() async throws {
    try await withBackup { sandbox, archive, scratch in
      let cellar = Cellar(sandbox: sandbox)
      let sidecar = try Sidecar(path: archive + ".meta.json")
      let plan = sidecar.nodes.first { $0["path"] as? String == "common-files/Docs/plan.txt" }!
      let sha = plan["sha256"] as! String
      let original = try Data(contentsOf: URL(fileURLWithPath: archive))

      // The archive's .cellar/manifest.json no longer says what the sidecar says.
      try replace(sha, with: String(sha.reversed()), in: archive)
      let edited = try await cellar.run(["verify", archive, "--json"])
      #expect(edited.status == 3)
      let found = try errors(edited.stdout)
      #expect(
        found.contains {
          $0.path == ".cellar/manifest.json" && $0.message.hasPrefix("manifest: ")
            && $0.message.contains("common-files/Docs/plan.txt")
        }, "\(found)")
      #expect(!found.contains { $0.message.hasPrefix("data: ") }, "the members themselves are intact: \(found)")

      // Members dropped and added behind the manifest's back (Python rewrites the tar).
      try original.write(to: URL(fileURLWithPath: archive))
      let rewritten = scratch.path("rewritten.tar")
      let script = """
        import io, sys, tarfile
        src = tarfile.open(sys.argv[1]); out = tarfile.open(sys.argv[2], "w", format=tarfile.PAX_FORMAT)
        for m in src.getmembers():
            if m.name == "common-files/Docs/notes.md": continue
            if m.name == "common-files/Docs/Empty": continue
            if m.name == ".cellar/manifest.json":
                extra = tarfile.TarInfo("common-files/Docs/intruder.txt"); extra.size = 3
                out.addfile(extra, io.BytesIO(b"bad"))
                out.addfile(src.getmember("common-files/Docs/zero.txt"), io.BytesIO(b""))
            out.addfile(m, src.extractfile(m) if m.isfile() else None)
        out.close()
        """
      let python = try await ChildProcess.run("python3", ["-c", script, archive, rewritten])
      try #require(python.status == 0, "\(python.stderr)")
      let run = try await cellar.run(["verify", rewritten, "--sidecar", archive + ".meta.json", "--json"])
      #expect(run.status == 3)
      let problems = try errors(run.stdout)
      func has(_ path: String, _ text: String) -> Bool {
        problems.contains { $0.path == path && $0.message.hasPrefix("manifest: ") && $0.message.contains(text) }
      }
      #expect(has("common-files/Docs/notes.md", "not in the archive"), "\(problems)")
      #expect(has("common-files/Docs/Empty", "as a folder but not in the archive"), "\(problems)")
      #expect(has("common-files/Docs/intruder.txt", "unknown to the manifest"), "\(problems)")
      #expect(has("common-files/Docs/zero.txt", "more than once"), "\(problems)")
    }
  }

  @Test("damaged sidecar: an edited node, an edited checksum, a cut file: each named, exit 3")
  func damagedSidecar() async throws {
    try await withBackup { sandbox, archive, _ in
      let cellar = Cellar(sandbox: sandbox)
      let path = archive + ".meta.json"
      let original = try Data(contentsOf: URL(fileURLWithPath: path))
      let sidecar = try Sidecar(path: path)
      let plan = sidecar.nodes.first { $0["path"] as? String == "common-files/Docs/plan.txt" }!

      // A node's SHA-256 changed in the sidecar: the archive still matches the recorded checksum.
      let sha = plan["sha256"] as! String
      try replace(sha, with: String(sha.reversed()), in: path)
      var found = try errors(try await cellar.run(["verify", archive, "--json"]).stdout)
      #expect(found.contains { $0.path == path && $0.message.hasPrefix("sidecar: differs") }, "\(found)")
      #expect(
        found.contains { $0.path == "common-files/Docs/plan.txt" && $0.message.hasPrefix("sidecar: ") }, "\(found)")
      #expect(!found.contains { $0.message.hasPrefix("data: ") || $0.message.hasPrefix("archive: ") }, "\(found)")

      // The archive's checksum changed in the sidecar: everything else agrees.
      try original.write(to: URL(fileURLWithPath: path))
      let checksum = sidecar.archive["sha256"] as! String
      try replace(checksum, with: String(checksum.reversed()), in: path)
      let run = try await cellar.run(["verify", archive, "--json"])
      #expect(run.status == 3)
      found = try errors(run.stdout)
      #expect(found.count == 1 && found[0].message.hasPrefix("sidecar: it records the SHA-256"), "\(found)")

      // The sidecar cut in half: named, and the archive is checked against its own manifest.
      try original.prefix(original.count / 2).write(to: URL(fileURLWithPath: path))
      let cut = try await cellar.run(["verify", archive, "--json"])
      #expect(cut.status == 3)
      found = try errors(cut.stdout)
      #expect(found.count == 1 && found[0].path == path && found[0].message.hasPrefix("sidecar: "), "\(found)")
    }
  }

  @Test("--remote after changes on the server: added, changed and missing nodes listed, exit 5; damage exits 3")
  func remote() async throws {
    try await withBackup { sandbox, archive, _ in
      let cellar = Cellar(sandbox: sandbox)
      let unchanged = try await cellar.run(["verify", archive, "--remote"])
      #expect(unchanged.status == 0, "\(unchanged.stderr)")

      try await sandbox.upload("common-files/Docs/new.txt", "new\n")
      try await sandbox.upload("common-files/Docs/plan.txt", "a new plan, longer\n")
      try await sandbox.connection().rest.delete(["common-files/Docs/notes.md"], permanently: true)
      let run = try await cellar.run(["verify", archive, "--remote", "--json"])
      #expect(run.status == 5, "the archive is sound, the server changed: \(run.stderr)")
      let found = try errors(run.stdout).map { "\($0.path) \($0.message)" }.sorted()
      #expect(found.count == 3, "\(found)")
      #expect(found.contains("common-files/Docs/new.txt remote: added on the server since the backup"), "\(found)")
      #expect(found.contains { $0.hasPrefix("common-files/Docs/notes.md remote: missing on the server") }, "\(found)")
      #expect(
        found.contains { $0.hasPrefix("common-files/Docs/plan.txt remote: changed since the backup: size 9 → 19") },
        "\(found)")

      // The sidecar named instead of the archive, as `ls` takes it.
      let sidecar = archive + ".meta.json"
      #expect(try await cellar.run(["verify", sidecar, "--quiet"]).status == 0)
      #expect(try await cellar.run(["verify", sidecar, "--remote", "--quiet"]).status == 5)

      // A damaged archive is damage, whatever the server did meanwhile.
      let sound = try Data(contentsOf: URL(fileURLWithPath: archive))
      try (sound + Data([0])).write(to: URL(fileURLWithPath: archive))
      let damaged = try await cellar.run(["verify", archive, "--remote", "--quiet"])
      #expect(damaged.status == 3, "\(damaged.stderr)")
      #expect(damaged.stderr.contains("archive: "), "\(damaged.stderr)")

      // The archive elsewhere: the sidecar alone is compared with the server.
      try FileManager.default.removeItem(atPath: archive)
      let sidecarOnly = try await cellar.run(["verify", archive, "--remote", "--quiet"])
      #expect(sidecarOnly.status == 5)
      #expect(sidecarOnly.stderr.contains("new.txt: remote: added"), "\(sidecarOnly.stderr)")
      let noArchive = try await cellar.run(["verify", sidecar])
      #expect(noArchive.status == 64, "\(noArchive.stderr)")
      #expect(noArchive.stderr.contains("cannot read the archive \(archive) beside its sidecar"), "\(noArchive.stderr)")
    }
  }
}

// CellarEndToEndTests: admin-context backups walk datasources and read bytes through the
// workspaces that map them.
import CellarTestSupport
import CellsSandbox
import Foundation
import Testing

@Suite("cellar backup --admin")
struct BackupAdminTests {
  @Test("a datasource is archived under its admin paths, bytes read through the workspace that maps it")
  func datasource() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      let archive = scratch.path("pydiods1.tar.gz")
      let run = try await Cellar(sandbox: sandbox).run(["backup", "--admin", "pydiods1", "-o", archive, "-q"])
      #expect(run.status == 0, "\(run.stderr)")

      let expected = try await SandboxDump.fetch(sandbox).backedUp(below: "pydiods1", as: "pydiods1")
      let listing = try await ArchiveListing.read(archive)
      #expect(listing.members.count == expected.count + 2)
      for (key, node) in expected where node.type == "LEAF" {
        #expect(listing.byName[key]?.sha256 == node.sha256, "\(node.path)")
      }
      #expect(!listing.members.contains { $0.name.hasSuffix("/.pydio") })
      let sidecar = try Sidecar(path: archive + ".meta.json")
      #expect(sidecar.document["context"] as? String == "admin")
    }
  }

  @Test("admin paths that no readable workspace exposes are listed as errors, exit 3")
  func unmapped() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      let archive = scratch.path("personal.tar")
      let run = try await Cellar(sandbox: sandbox).run(["backup", "--admin", "personal", "-o", archive, "-q"])
      #expect(run.status == 3, "\(run.stderr)")
      #expect(run.stderr.contains("personal/alice/notes.txt"))
      let sidecar = try Sidecar(path: archive + ".meta.json")
      let failed = sidecar.errors.compactMap { $0["path"] as? String }
      #expect(failed.contains("personal/alice/notes.txt"))
      #expect(sidecar.summary["errors"] as? Int == failed.count)
    }
  }
}

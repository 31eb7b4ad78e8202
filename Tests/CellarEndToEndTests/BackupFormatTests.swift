// CellarEndToEndTests: every archive format cellar writes is read back by the standard tools.
import ArchiveKit
import CellarTestSupport
import CellsSandbox
import Foundation
import Testing

@Suite("cellar backup: formats and standard output")
struct BackupFormatTests {
  @Test(
    "each format is read back by GNU tar or bsdtar and by Python, with the same bytes",
    arguments: ["tar", "tar.gz", "tar.zst", "tar.xz", "zip"])
  func format(_ format: String) async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      let archive = scratch.path("docs.\(format)")
      let run = try await Cellar(sandbox: sandbox).run(["backup", "common-files/Documents", "-o", archive, "-q"])
      #expect(run.status == 0, "\(run.stderr)")

      let listing = try await ArchiveListing.read(archive)
      let expected = try await SandboxDump.fetch(sandbox).backedUp(
        below: "pydiods1/Documents", as: "common-files/Documents")
      for (key, node) in expected where node.type == "LEAF" {
        #expect(listing.byName[key]?.sha256 == node.sha256, "\(node.path)")
      }
      #expect(listing.members.count == expected.count + 2, "the source folder and the manifest too")

      let names: [String]
      if format == "zip" {
        let test = try await ChildProcess.run("unzip", ["-t", archive])
        #expect(test.status == 0, "\(test.stdout)")
        names = try await ChildProcess.run("bsdtar", ["-tf", archive]).stdout.split(separator: "\n").map(String.init)
      } else {
        let decompress = ["tar.zst": ["--zstd"], "tar.gz": ["-z"], "tar.xz": ["-J"], "tar": []][format]!
        let list = try await ChildProcess.run("tar", decompress + ["-tf", archive])
        #expect(list.status == 0, "\(list.stderr)")
        names = list.stdout.split(separator: "\n").map(String.init)
      }
      #expect(names.contains(".cellar/manifest.json"))
      #expect(names.contains { $0.hasPrefix("common-files/Documents/Reports 2024/summary.txt") })
    }
  }

  @Test("--output - streams the archive to a pipe; the sidecar goes to its own file")
  func standardOutput() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      let cellar = Cellar(sandbox: sandbox)
      let refused = try await cellar.run(["backup", "common-files/Documents", "-o", "-"])
      #expect(refused.status == 64)
      #expect(refused.stderr.contains("--sidecar"))

      let sidecar = scratch.path("docs.meta.json")
      let run = try await cellar.run(["backup", "common-files/Documents", "-o", "-", "--sidecar", sidecar, "-q"])
      #expect(run.status == 0, "\(run.stderr)")
      let archive = scratch.url.appendingPathComponent("from-stdout.tar")
      try run.stdoutData.write(to: archive)
      let list = try await ChildProcess.run("tar", ["-tvf", "-"], stdin: archive)
      #expect(list.status == 0, "\(list.stderr)")
      #expect(list.stdout.contains("common-files/Documents/Reports 2024/Q1/figures.csv"))
      let recorded = try Sidecar(path: sidecar)
      #expect(recorded.archive["name"] as? String == "-")
      #expect(recorded.archive["bytes"] as? Int == run.stdoutData.count)
    }
  }
}

// CellarEndToEndTests: what a backup checks each file's bytes against, without false alarms for
// files uploaded in parts and without taking bytes damaged on the way for good ones.
import CellarTestSupport
import CellsSandbox
import Foundation
import Testing

@Suite("cellar backup: content checks")
struct ContentCheckTests {
  /// Uploads `size` bytes to `key` with the AWS CLI, in its default 8 MiB parts.
  private func uploadWithAWSCLI(_ sandbox: Sandbox, _ scratch: Scratch, key: String, size: Int) async throws {
    let config = scratch.path("aws-config")
    try "[default]\nregion = us-east-1\ns3 =\n    addressing_style = path\n".write(
      toFile: config, atomically: true, encoding: .utf8)
    let local = scratch.path("upload.bin")
    try Data(TestData.bytes(count: size, seed: 8)).write(to: URL(fileURLWithPath: local))
    let up = try await ChildProcess.run(
      "aws",
      ["s3", "cp", "--only-show-errors", local, "s3://io/\(key)", "--endpoint-url", sandbox.baseURL.absoluteString],
      environment: [
        "AWS_CONFIG_FILE": config, "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        "AWS_ACCESS_KEY_ID": sandbox.token(for: "admin"), "AWS_SECRET_ACCESS_KEY": "gatewaysecret",
        "AWS_DEFAULT_REGION": "us-east-1", "AWS_PAGER": "",
      ])
    try #require(up.status == 0, "\(up.stderr)")
  }

  /// The manifest record of `path` in the sidecar of `archive`.
  private func record(_ archive: String, _ path: String) throws -> [String: Any]? {
    try Sidecar(path: archive + ".meta.json").nodes.first { ($0["path"] as? String) == path }
  }

  @Test(
    "files uploaded by aws s3 cp in 8 MiB parts raise no false alarm: their hash is checked part by part",
    arguments: [20 << 20, (8 << 20) + 17])
  func awsCLIParts(_ size: Int) async throws {
    try await withSandbox(seed: .minimal) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      try await uploadWithAWSCLI(sandbox, scratch, key: "common-files/cli/parts.bin", size: size)
      let archive = scratch.path("cli.tar")
      let run = try await Cellar(sandbox: sandbox).run(["backup", "common-files/cli", "-o", archive])
      #expect(run.status == 0, "\(run.stderr)")
      #expect(!run.stderr.contains("content hash"), "\(run.stderr)")
      #expect(try record(archive, "common-files/cli/parts.bin")?["check"] as? String == "cells-hash-parts")
      #expect(try await Cellar(sandbox: sandbox).run(["verify", archive]).status == 0)
      // Restored, it is uploaded in 10 MiB parts: another x-cells-hash, recognised as the same bytes.
      try await withSandbox(seed: RestoreScenario.emptyServer) { target in
        let cellar = Cellar(sandbox: target)
        let restore = try await cellar.run(["restore", archive])
        #expect(restore.status == 0, "\(restore.stderr)")
        let again = try await cellar.run(["restore", archive, "--json"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("\"action\":\"unchanged\""), "\(again.stdout)")
      }
    }
  }

  @Test("files uploaded whole or in 10 MiB multiples are checked against the hash of their content")
  func wholeContent() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      let archive = scratch.path("docs.tar")
      let run = try await Cellar(sandbox: sandbox).run(["backup", "common-files/Large", "-o", archive, "-q"])
      #expect(run.status == 0, "\(run.stderr)")
      #expect(try record(archive, "common-files/Large/video-30MiB.bin")?["check"] as? String == "cells-hash")
    }
  }

  @Test(
    "a large file whose bytes are damaged on the way is archived but recorded as damaged; verify and restore refuse it")
  func damagedInFlight() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      sandbox.setFaults(FaultSettings(failRate: 1, shapes: [.corrupt], operations: ["GetObject"]))
      let archive = scratch.path("large.tar")
      let cellar = Cellar(sandbox: sandbox)
      let run = try await cellar.run(["backup", "common-files/Large", "-o", archive])
      sandbox.setFaults(FaultSettings())
      #expect(run.status == 3, "\(run.stderr)")
      #expect(run.stderr.contains("archived but damaged"), "\(run.stderr)")
      #expect(try record(archive, "common-files/Large/video-30MiB.bin")?["check"] as? String == "damaged")

      let verify = try await cellar.run(["verify", archive])
      #expect(verify.status == 3, "\(verify.stdout)\(verify.stderr)")
      #expect(verify.stderr.contains("recorded as damaged"), "\(verify.stderr)")
      try await withSandbox(seed: RestoreScenario.emptyServer) { target in
        let restore = try await Cellar(sandbox: target).run(["restore", archive])
        #expect(restore.status == 3, "\(restore.stderr)")
        #expect(restore.stderr.contains("recorded as damaged"), "\(restore.stderr)")
        #expect(try await SandboxDump.fetch(target).node("pydiods1/Large/video-30MiB.bin") == nil)
      }
    }
  }

  @Test("small files whose bytes come damaged every time are left out of the archive, each an error")
  func smallFilesDamagedEveryTime() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      sandbox.setFaults(FaultSettings(failRate: 1, shapes: [.corrupt], operations: ["GetObject"]))
      let archive = scratch.path("docs.tar")
      let run = try await Cellar(sandbox: sandbox).run(["backup", "common-files/Documents/Reports 2024", "-o", archive])
      sandbox.setFaults(FaultSettings())
      #expect(run.status == 3, "\(run.stderr)")
      #expect(run.stderr.contains("not archived: its bytes do not match"), "\(run.stderr)")
      let names = try await ArchiveListing.read(archive).members.map(\.name)
      #expect(!names.contains("common-files/Documents/Reports 2024/summary.txt"))
      #expect(names.contains("common-files/Documents/Reports 2024/Q1"))
    }
  }

  @Test("damaged once, the next download good: a small file is archived with its good bytes")
  func damagedOnce() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      let cellar = Cellar(sandbox: sandbox)
      let clean = scratch.path("clean.tar")
      #expect(try await cellar.run(["backup", "common-files/Documents", "-o", clean, "-q"]).status == 0)
      sandbox.setFaults(FaultSettings(failRate: 0.3, shapes: [.corrupt], operations: ["GetObject"], seed: 3))
      let archive = scratch.path("docs.tar")
      let run = try await cellar.run(["backup", "common-files/Documents", "-o", archive, "-q"])
      sandbox.setFaults(FaultSettings())
      #expect(run.status == 0, "\(run.stderr)")
      let members = { (path: String) in
        try await ArchiveListing.read(path).members.filter { $0.name != ".cellar/manifest.json" }.map {
          [$0.name, $0.sha256 ?? ""]
        }
      }
      #expect(try await members(archive) == members(clean))
    }
  }
}

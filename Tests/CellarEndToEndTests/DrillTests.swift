// CellarEndToEndTests: `cellar drill`: a sample restored into a scratch folder, checked and
// deleted; never written over anything; a damaged archive or a folder left behind is said.
import CellarTestSupport
import CellsSandbox
import Foundation
import Testing

@Suite("cellar drill: restore drills")
struct DrillTests {
  /// Runs a drill of `archive` against `sandbox` with `arguments`.
  private static func drill(_ sandbox: Sandbox, _ archive: String, _ arguments: [String]) async throws -> ChildResult {
    try await Cellar(sandbox: sandbox).run(["drill", archive] + arguments)
  }

  /// The paths of the server's tree that contain `part`, recycle bins included.
  private static func paths(containing part: String, _ sandbox: Sandbox) async throws -> [String] {
    try await SandboxDump.fetch(sandbox).nodes.map(\.path).filter { $0.contains(part) }
  }

  @Test("every file back intact, the scratch folder and the parents it made deleted permanently; metrics recorded")
  func wholeSample() async throws {
    try await withSandbox(seed: RestoreScenario.smallTree) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      let archive = scratch.path("small.tar.zst")
      try await RestoreScenario.backup(sandbox, "common-files", to: archive)
      let run = try await Self.drill(
        sandbox, archive,
        [
          "--sample", "1000", "--scratch", "common-files/drills/new/here", "--metrics-file",
          scratch.path("m.prom"),
        ])
      #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
      #expect(run.stdout.contains("all intact") && run.stdout.contains("deleted common-files/drills"), "\(run.stdout)")
      #expect(try await Self.paths(containing: "drills", sandbox).isEmpty, "nothing left, not even in a recycle bin")
      let metrics = try String(contentsOfFile: scratch.path("m.prom"), encoding: .utf8)
      #expect(metrics.contains("cellar_drill_problems{profile=\"\(archive)\"} 0"), "\(metrics)")
    }
  }

  @Test("a member damaged in the archive is found: exit 3, named; the scratch folder still deleted")
  func damagedMember() async throws {
    try await withSandbox(seed: RestoreScenario.smallTree) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      let archive = scratch.path("small.tar")
      try await RestoreScenario.backup(sandbox, "common-files", to: archive)
      // A plain tar: flip the first byte of the largest file's content, where its member's data is.
      let listing = String(decoding: try ChildProcess.output("tar", ["-tvf", archive]), as: UTF8.self)
      let largest = try #require(
        listing.split(separator: "\n").filter { $0.hasPrefix("-") && !$0.contains(" .cellar/") }.max {
          Int($0.split(separator: " ", omittingEmptySubsequences: true)[2]) ?? 0
            < Int($1.split(separator: " ", omittingEmptySubsequences: true)[2]) ?? 0
        })
      let name = largest.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)[5]
      let content = try ChildProcess.output("tar", ["-xOf", archive, String(name)])
      var bytes = try Data(contentsOf: URL(fileURLWithPath: archive))
      let at = try #require(bytes.range(of: content)).lowerBound
      bytes[at] ^= 0x20
      try bytes.write(to: URL(fileURLWithPath: archive))
      let run = try await Self.drill(sandbox, archive, ["--sample", "1000", "--scratch", "common-files/dd", "-q"])
      #expect(run.status == 3, "\(run.stdout)\(run.stderr)")
      #expect(run.stderr.contains(name), "the damaged file is named: \(run.stderr)")
      #expect(try await Self.paths(containing: "/dd", sandbox).isEmpty)
    }
  }

  @Test("a scratch folder that exists, has . or .., or lies in no workspace is refused before anything is written")
  func refusedScratch() async throws {
    try await withSandbox(seed: RestoreScenario.smallTree) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      let archive = scratch.path("small.tar.zst")
      try await RestoreScenario.backup(sandbox, "common-files", to: archive)
      let before = try await SandboxDump.fetch(sandbox).nodes.map(\.path).sorted()
      for given in [
        "common-files/Docs", "common-files", "/", "common-files/./x", "common-files/x/..", "common-files//x",
        "no-such-workspace/x",
      ] {
        let run = try await Self.drill(sandbox, archive, ["--scratch", given])
        #expect(run.status == 64, "\(given): \(run.stderr)")
      }
      #expect(try await SandboxDump.fetch(sandbox).nodes.map(\.path).sorted() == before, "nothing written")
    }
  }

  @Test("a delete whose answers are lost (done, then 404 on the retries) is a deleted folder, not a failed drill")
  func lostDeleteAnswer() async throws {
    try await withSandbox(seed: RestoreScenario.smallTree) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      let archive = scratch.path("small.tar.zst")
      try await RestoreScenario.backup(sandbox, "common-files", to: archive)
      sandbox.setFaults(FaultSettings(failRate: 1, shapes: [.lost], operations: ["tree/delete"]))
      let run = try await Self.drill(sandbox, archive, ["--scratch", "common-files/lost", "-q", "--retries", "2"])
      sandbox.setFaults(FaultSettings())
      #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
      #expect(try await Self.paths(containing: "/lost", sandbox).isEmpty)
    }
  }

  @Test("a scratch folder that cannot be deleted fails the drill (exit 1, said even with -q)")
  func leftoverIsAFailure() async throws {
    try await withSandbox(seed: RestoreScenario.smallTree) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      let archive = scratch.path("small.tar.zst")
      try await RestoreScenario.backup(sandbox, "common-files", to: archive)
      sandbox.setFaults(FaultSettings(failRate: 1, shapes: [.error], operations: ["tree/delete"]))
      let run = try await Self.drill(
        sandbox, archive, ["--scratch", "common-files/kept", "-q", "--retries", "0"])
      sandbox.setFaults(FaultSettings())
      #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
      #expect(run.stderr.contains("common-files/kept") && run.stderr.contains("delete it yourself"), "\(run.stderr)")
    }
  }

  @Test("an incremental archive on S3 is drilled among the files it holds itself (its chain cannot be fetched)")
  func incrementalOnS3() async throws {
    try await withSandbox(seed: RestoreScenario.smallTree) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      let environment = [
        "AWS_ACCESS_KEY_ID": "cellar", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_REGION": "us-east-1",
        "AWS_SHARED_CREDENTIALS_FILE": scratch.path("none"), "AWS_CONFIG_FILE": scratch.path("none"),
        "AWS_ENDPOINT_URL": try MotoServer.endpoint(),
      ]
      let folder = "s3://\(MotoServer.bucket)/drill-\(UUID().uuidString)/"
      let cellar = Cellar(sandbox: sandbox)
      var run = try await cellar.run(
        ["backup", "common-files", "-o", folder + "full.tar.zst", "-q"], environment: environment)
      #expect(run.status == 0, "\(run.stderr)")
      try await sandbox.upload("common-files/Docs/new-this-week.txt", "fresh\n")
      run = try await cellar.run(
        ["backup", "common-files", "-o", folder + "inc.tar.zst", "--since", folder + "full.tar.zst", "-q"],
        environment: environment)
      #expect(run.status == 0, "\(run.stderr)")
      run = try await cellar.run(
        ["drill", folder + "inc.tar.zst", "--sample", "5", "--scratch", "common-files/s3drill"],
        environment: environment)
      #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
      #expect(run.stdout.contains("restoring 1 of 1 files"), "only the changed file is in it: \(run.stdout)")
      #expect(try await Self.paths(containing: "s3drill", sandbox).isEmpty)
    }
  }
}

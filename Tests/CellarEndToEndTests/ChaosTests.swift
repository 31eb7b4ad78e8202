// CellarEndToEndTests: whole commands under chaos: a share of every request (REST and S3, any
// operation) fails in every shape the sandbox knows, and the result is still exact.
import CellarTestSupport
import CellsSandbox
import Foundation
import Testing

// One run at a time: each keeps 32 transfers busy against its own sandbox, and on two cores a
// dozen at once would make every request late, which is not the fault being tested.
@Suite("cellar under mixed faults on every request", .serialized)
struct ChaosTests {
  /// Faults of every shape on `rate` of all requests; stalls outlast the `--timeout` runs use.
  static func chaos(_ rate: Double, seed: UInt64) -> FaultSettings {
    var faults = FaultSettings()
    faults.failRate = rate
    faults.shapes = FaultShape.failures
    faults.stallSeconds = 5
    faults.seed = seed
    return faults
  }

  /// What a run under chaos is given: a short idle timeout (stalls are detected in 3 s) and
  /// retries enough that 10% faults do not exhaust them.
  static let patient = ["--timeout", "3", "--retries", "10"]

  /// The content of an archive, sorted (the formats need not keep the same member order).
  private func content(_ archive: String) async throws -> [[String]] {
    try await ArchiveListing.content(archive).sorted { $0.lexicographicallyPrecedes($1) }
  }

  static let backups: [(String, Double, UInt64)] = ["tar", "tar.gz", "tar.zst", "tar.xz", "zip"].flatMap { format in
    [(format, 0.05, 11), (format, 0.10, 12)]
  }

  @Test("a backup under 5% and 10% mixed faults holds what a clean one holds", arguments: backups)
  func backup(_ format: String, _ rate: Double, _ seed: UInt64) async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      let cellar = Cellar(sandbox: sandbox)
      let clean = scratch.path("clean.\(format)")
      #expect(try await cellar.run(["backup", "common-files", "-o", clean, "-q"]).status == 0)
      sandbox.setFaults(Self.chaos(rate, seed: seed))
      let flaky = scratch.path("flaky.\(format)")
      let run = try await cellar.run(["backup", "common-files", "-o", flaky, "-q"] + Self.patient)
      sandbox.setFaults(FaultSettings())
      #expect(run.status == 0, "\(run.stderr.suffix(3000))")
      #expect(try await content(flaky) == content(clean))
      let verify = try await cellar.run(["verify", flaky])
      #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    }
  }

  @Test("an incremental backup under 10% mixed faults takes exactly the changes", arguments: [21] as [UInt64])
  func incremental(_ seed: UInt64) async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      let cellar = Cellar(sandbox: sandbox)
      let full = scratch.path("full.tar.gz")
      #expect(try await cellar.run(["backup", "common-files", "-o", full, "-q"]).status == 0)
      try await sandbox.upload("common-files/Documents/new.txt", "new since the full backup\n")
      try await sandbox.upload("common-files/Many/file-0007.txt", "changed\n")
      sandbox.setFaults(Self.chaos(0.10, seed: seed))
      let incremental = scratch.path("incremental.tar.gz")
      let run = try await cellar.run(
        ["backup", "common-files", "-o", incremental, "--since", scratch.url.path, "-q"] + Self.patient)
      sandbox.setFaults(FaultSettings())
      #expect(run.status == 0, "\(run.stderr.suffix(3000))")
      let files = try await content(incremental).filter { $0[1] == "file" }.map { $0[0] }
      #expect(files == ["common-files/Documents/new.txt", "common-files/Many/file-0007.txt"])
      #expect(try await cellar.run(["verify", "--chain", incremental]).status == 0)
    }
  }

  @Test(
    "a restore under 5% and 10% mixed faults rebuilds the tree node for node",
    arguments: [(0.05, 31), (0.10, 32)] as [(Double, UInt64)])
  func restore(_ rate: Double, _ seed: UInt64) async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let archive = scratch.path("common-files.tar.gz")
    let original = try await RestoreScenario.backUpDemo(to: archive)
    try await withSandbox(seed: RestoreScenario.emptyServer) { target in
      target.setFaults(Self.chaos(rate, seed: seed))
      let run = try await Cellar(sandbox: target).run(["restore", archive, "-q"] + Self.patient)
      target.setFaults(FaultSettings())
      #expect(run.status == 0, "\(run.stderr.suffix(3000))")
      RestoreScenario.expectSameTree(original, "pydiods1", try await SandboxDump.fetch(target), "pydiods1")
    }
  }

  @Test("verify --remote under 10% mixed faults finds the server as backed up", arguments: [41] as [UInt64])
  func verifyRemote(_ seed: UInt64) async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      let cellar = Cellar(sandbox: sandbox)
      let archive = scratch.path("demo.tar.zst")
      #expect(try await cellar.run(["backup", "common-files", "-o", archive, "-q"]).status == 0)
      sandbox.setFaults(Self.chaos(0.10, seed: seed))
      let run = try await cellar.run(["verify", archive, "--remote"] + Self.patient)
      sandbox.setFaults(FaultSettings())
      #expect(run.status == 0, "\(run.stdout.suffix(2000))\(run.stderr.suffix(2000))")
    }
  }
}

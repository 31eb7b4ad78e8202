// CellarEndToEndTests: a restore never puts on the server bytes or paths its archive does not
// vouch for: damaged members, duplicate members and hostile manifest paths.
import CellarTestSupport
import CellsSandbox
import Foundation
import Testing

@Suite("cellar restore: integrity before anything is uploaded")
struct RestoreIntegrityTests {
  /// The small tree backed up to `name` in `scratch`; returns the archive's path.
  private func backUpSmallTree(_ scratch: Scratch, _ name: String) async throws -> String {
    let archive = scratch.path(name)
    try await withSandbox(seed: RestoreScenario.smallTree) { source in
      try await RestoreScenario.backup(source, "common-files", to: archive)
    }
    return archive
  }

  /// Writes a plain tar of `members` (name, text) in order with Python's tarfile, a writer
  /// that, unlike cellar's, lets a test put in what cellar never would.
  private func writeTar(_ path: String, _ members: [(String, String)]) async throws {
    let script = """
      import io, json, sys, tarfile
      with tarfile.open(sys.argv[1], "w") as tar:
          for name, text in json.loads(sys.argv[2]):
              body = text.encode()
              info = tarfile.TarInfo(name)
              info.size = len(body)
              tar.addfile(info, io.BytesIO(body))
      """
    let list = String(
      decoding: try JSONSerialization.data(withJSONObject: members.map { [$0.0, $0.1] }), as: UTF8.self)
    let made = try await ChildProcess.run("python3", ["-c", script, path, list])
    try #require(made.status == 0, "\(made.stderr)")
  }

  @Test("a member with a flipped byte (no sidecar: the embedded manifest is the check) is not uploaded; the rest is")
  func damagedMember() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let archive = try await backUpSmallTree(scratch, "docs.tar")
    try FileManager.default.removeItem(atPath: archive + ".meta.json")
    var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: archive)))
    let needle = Array("the plan\n".utf8)
    let at = try #require(
      (0...(bytes.count - needle.count)).first { bytes[$0..<($0 + needle.count)].elementsEqual(needle) })
    bytes[at] ^= 0x20
    try Data(bytes).write(to: URL(fileURLWithPath: archive))
    try await withSandbox(seed: RestoreScenario.emptyServer) { target in
      let run = try await Cellar(sandbox: target).run(["restore", archive])
      #expect(run.status == 3, "\(run.stderr)")
      #expect(run.stderr.contains("common-files/Docs/plan.txt"))
      #expect(run.stderr.contains("damaged in the archive"))
      let restored = try await SandboxDump.fetch(target).below("pydiods1")
      #expect(restored[Array("Docs/plan.txt".utf8)] == nil, "the damaged bytes stayed off the server")
      #expect(restored[Array("Docs/notes.md".utf8)]?.size == 8, "the other files are restored")
    }
  }

  @Test("an archive holding the same member twice is refused before anything is uploaded")
  func duplicateMembers() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let archive = scratch.path("dup.tar")
    try await writeTar(archive, [("common-files/d/dup.txt", "first copy\n"), ("common-files/d/dup.txt", "second\n")])
    try await withSandbox(seed: RestoreScenario.emptyServer) { target in
      let run = try await Cellar(sandbox: target).run(["restore", archive])
      #expect(run.status == 1, "\(run.stderr)")
      #expect(run.stderr.contains("\"common-files/d/dup.txt\" appears twice"), "\(run.stderr)")
      #expect(run.stderr.contains("nothing was uploaded"))
      #expect(try await SandboxDump.fetch(target).below("pydiods1").isEmpty)
    }
  }

  @Test(
    "a manifest naming a path no restore may follow is refused, the server untouched",
    arguments: [
      ("common-files/../notes.md", "\"..\" component"), ("/common-files/Docs/notes.md", "absolute"),
      ("common-files/Docs/./notes.md", "\".\" component"), ("common-files/Docs/plan.txt", "names it twice"),
    ])
  func hostileManifestPath(_ hostile: String, _ reason: String) async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let archive = try await backUpSmallTree(scratch, "docs.tar.gz")
    let sidecar = archive + ".meta.json"
    let text = try String(contentsOfFile: sidecar, encoding: .utf8)
    let original = "\"common-files/Docs/notes.md\""
    try #require(text.components(separatedBy: original).count == 2, "the node's path appears once")
    try text.replacingOccurrences(of: original, with: "\"\(hostile)\"").write(
      toFile: sidecar, atomically: true, encoding: .utf8)
    try await withSandbox(seed: RestoreScenario.emptyServer) { target in
      let run = try await Cellar(sandbox: target).run(["restore", archive])
      #expect(run.status == 1, "\(run.stderr)")
      #expect(run.stderr.contains(hostile) && run.stderr.contains(reason), "\(run.stderr)")
      #expect(try await SandboxDump.fetch(target).below("pydiods1").isEmpty)
    }
  }

  @Test("a damaged embedded manifest is named as the archive's member, and no scratch copy is left behind")
  func damagedEmbeddedManifest() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let archive = scratch.path("odd.tar")
    try await writeTar(archive, [("common-files/a.txt", "a\n"), (".cellar/manifest.json", #"{"cellarManifest":1,"#)])
    let temporary = scratch.path("tmp")
    try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
    try await withSandbox(seed: RestoreScenario.emptyServer) { target in
      let run = try await Cellar(sandbox: target).run(["restore", archive], environment: ["TMPDIR": temporary])
      #expect(run.status == 1, "\(run.stderr)")
      #expect(run.stderr.contains("\(archive):.cellar/manifest.json is damaged"), "\(run.stderr)")
      #expect(!run.stderr.contains("cellar-manifest-"), "\(run.stderr)")
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: temporary) == [])
  }

  @Test("a restore killed with SIGKILL leaves no copy of the archive's manifest in the temporary folder")
  func killedRestoreLeavesNoCopy() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let archive = scratch.path("common-files.tar.gz")
    _ = try await RestoreScenario.backUpDemo(to: archive)
    try FileManager.default.removeItem(atPath: archive + ".meta.json")
    let temporary = scratch.path("tmp")
    try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
    var options = SandboxOptions()
    options.faults.latencyMilliseconds = 20
    try await withSandbox(seed: RestoreScenario.emptyServer, options: options) { target in
      let run = try await Cellar(sandbox: target).run(["restore", archive, "-q"], environment: ["TMPDIR": temporary]) {
        pid in
        Task {
          try await Task.sleep(for: .seconds(2))
          kill(pid, SIGKILL)
        }
      }
      #expect(run.status != 0)
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: temporary) == [])
  }

  @Test("a high-ratio zip bomb (1 GiB of zeros in about 1 MiB) is read through with memory bounded")
  func zipBomb() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let bomb = scratch.path("bomb.zip")
    let script = """
      import sys, zipfile
      with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
          with z.open("common-files/zeros.bin", "w", force_zip64=True) as member:
              block = bytes(1 << 20)
              for _ in range(1024): member.write(block)
      """
    let made = try await ChildProcess.run("python3", ["-c", script, bomb])
    try #require(made.status == 0, "\(made.stderr)")
    #expect(try FileManager.default.attributesOfItem(atPath: bomb)[.size] as? Int ?? 0 < 2 << 20)
    // The child's peak memory, as the kernel counts it (KiB).
    let measure = """
      import resource, subprocess, sys
      run = subprocess.run(sys.argv[1:], capture_output=True, text=True)
      print(run.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
      print(run.stderr, file=sys.stderr)
      """
    try await withSandbox(seed: RestoreScenario.emptyServer) { target in
      let cellar = Cellar(sandbox: target)
      let run = try await ChildProcess.run(
        "python3", ["-c", measure, BuiltProduct.path("cellar"), "restore", bomb, "--dry-run", "-q"],
        environment: cellar.environment)
      let fields = run.stdout.split(separator: " ").map { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
      #expect(fields.first == 0, "\(run.stdout)\(run.stderr)")
      let peak = try #require(fields.last ?? nil)
      #expect(peak < 150 << 10, "peak RSS \(peak / 1024) MiB for a 1 GiB member")
    }
  }
}

// CellarEndToEndTests: `cellar verify FULL INC1 INC2` (and `INC2 --chain`) checks each archive,
// each link, and the bytes the last state takes from earlier archives; `cellar ls --long` shows
// where those bytes are.
import CellarTestSupport
import CellsSandbox
import Foundation
import Testing

@Suite("cellar verify of an incremental chain, cellar ls of an incremental")
struct VerifyChainTests {
  private static let docs = "common-files/Docs"

  /// The error events of a `--json` run: (path, message).
  private func errors(_ output: String) throws -> [(path: String, message: String)] {
    try output.split(separator: "\n").compactMap { line in
      let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
      guard object["event"] as? String == "error" else { return nil }
      return (object["path"] as? String ?? "", object["message"] as? String ?? "")
    }
  }

  @Test("a good chain verifies; wrong order, an earlier archive left out and a damaged stored member are named")
  func chain() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    // Uncompressed, so that bytes of the full backup can be changed in place.
    let full = scratch.path("full.tar")
    let inc1 = scratch.path("inc1.tar")
    let inc2 = scratch.path("inc2.tar.zst")
    try await withSandbox(seed: RestoreScenario.smallTree) { sandbox in
      let cellar = Cellar(sandbox: sandbox)
      try await RestoreScenario.backup(sandbox, Self.docs, to: full)
      try await sandbox.upload("\(Self.docs)/notes.md", "# notes, edited\n")
      var run = try await cellar.run(["backup", Self.docs, "-o", inc1, "-q", "--since", full + ".meta.json"])
      try #require(run.status == 0, "\(run.stderr)")
      try await sandbox.upload("\(Self.docs)/new.txt", "new\n")
      run = try await cellar.run(["backup", Self.docs, "-o", inc2, "-q", "--since", inc1 + ".meta.json"])
      try #require(run.status == 0, "\(run.stderr)")

      // Good: given in full, or found with --chain.
      run = try await cellar.run(["verify", full, inc1, inc2, "--json"])
      #expect(run.status == 0, "\(run.stderr)\n\(run.stdout)")
      #expect(try errors(run.stdout).isEmpty)
      run = try await cellar.run(["verify", inc2, "--chain", "--quiet"])
      #expect(run.status == 0 && run.stderr.isEmpty, "\(run.stderr)")
      // A damaged sidecar of an earlier archive: --chain still finds the chain (from the
      // archive's own manifest) and names the sidecar, exit 3 as for the chain given in full.
      let fullSidecar = try Data(contentsOf: URL(fileURLWithPath: full + ".meta.json"))
      try Data("{\"junk\":".utf8).write(to: URL(fileURLWithPath: full + ".meta.json"))
      run = try await cellar.run(["verify", inc2, "--chain", "--json"])
      #expect(run.status == 3, "\(run.stderr)")
      #expect(try errors(run.stdout).contains { $0.path == full + ".meta.json" }, "\(run.stdout)")
      try fullSidecar.write(to: URL(fileURLWithPath: full + ".meta.json"))

      // ls --long: plan.txt's bytes are in the full backup; --json carries the record.
      run = try await cellar.run(["ls", inc2, "--long"])
      #expect(run.status == 0, "\(run.stderr)")
      let lines = run.stdout.split(separator: "\n").map(String.init)
      let plan = try #require(lines.firstIndex { $0.hasSuffix("  \(Self.docs)/plan.txt") }, "\(run.stdout)")
      #expect(
        lines[plan + 1].utf8.elementsEqual("    stored in full.tar as \(Self.docs)/plan.txt".utf8), "\(run.stdout)")
      #expect(!lines.contains { $0.hasPrefix("    stored in") && $0.contains("new.txt") })
      run = try await cellar.run(["ls", inc2, "--json"])
      let nodes = try run.stdout.split(separator: "\n").map {
        try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:]
      }
      let planNode = try #require(
        nodes.first { ($0["path"] as? String).map { Array($0.utf8) } == Array("\(Self.docs)/plan.txt".utf8) })
      let stored = try #require(planNode["stored"] as? [String: Any])
      #expect(stored["archive"] as? String == "full.tar")
      #expect(stored["member"] as? String == "\(Self.docs)/plan.txt")

      // Wrong order: each broken link named as a chain problem.
      run = try await cellar.run(["verify", inc1, full, inc2, "--json"])
      #expect(run.status == 3, "\(run.stderr)")
      var found = try errors(run.stdout)
      #expect(
        found.contains { $0.path == inc1 && $0.message.hasPrefix("chain: it is an incremental backup") }, "\(found)")
      #expect(found.contains { $0.path == full && $0.message.hasPrefix("chain: it is a full backup") }, "\(found)")
      #expect(
        found.contains { $0.path == inc2 && $0.message.hasPrefix("chain: it is relative to inc1.tar") }, "\(found)")
      // An earlier archive left out: the last state's bytes in full.tar are not in the chain.
      run = try await cellar.run(["verify", inc1, inc2, "--json"])
      #expect(run.status == 3, "\(run.stderr)")
      found = try errors(run.stdout)
      #expect(found.contains { $0.path == "full.tar" && $0.message.contains("not an earlier archive of this chain") })

      // A member of the full backup damaged: the file of the last state that takes it is named.
      let url = URL(fileURLWithPath: full)
      var bytes = Array(try Data(contentsOf: url))
      let needle = Array("the plan\n".utf8)
      let at = try #require(
        (0...(bytes.count - needle.count)).first { bytes[$0..<$0 + needle.count].elementsEqual(needle) })
      bytes.replaceSubrange(at..<at + needle.count, with: Array("the PLAN\n".utf8))
      try Data(bytes).write(to: url)
      run = try await cellar.run(["verify", full, inc1, inc2, "--json"])
      #expect(run.status == 3, "\(run.stderr)")
      found = try errors(run.stdout)
      #expect(
        found.contains {
          Array($0.path.utf8) == Array("\(Self.docs)/plan.txt".utf8)
            && $0.message.hasPrefix("chain: its bytes are member \(Self.docs)/plan.txt of \(full)")
        }, "\(found)")
      #expect(
        found.contains { $0.path == inc1 && $0.message.hasPrefix("chain: it is relative to full.tar") }, "\(found)")
      run = try await cellar.run(["verify", inc2, "--chain"])
      #expect(run.status == 3)
      #expect(run.stderr.contains("\(Self.docs)/plan.txt: chain: "), "\(run.stderr)")
    }
  }
}

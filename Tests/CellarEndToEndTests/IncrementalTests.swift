// CellarEndToEndTests: nightly chains: a full backup, incrementals after every kind of change,
// and the chain restored to exactly the latest state.
import CellarTestSupport
import CellsKit
import CellsSandbox
import Foundation
import Testing

@Suite("cellar backup --since and cellar restore of a chain")
struct IncrementalTests {
  private static let documents = "common-files/Documents"

  @Test(
    "full, then two incrementals after edits, additions, deletions, renames, moves and a metadata change, restore to the latest state"
  )
  func chainRestoresLatestState() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let full = scratch.path("full.tar.gz")
    let inc1 = scratch.path("inc1.tar.gz")
    let inc2 = scratch.path("inc2.tar.zst")
    let inc3 = scratch.path("inc3.tar")
    let original = try await withSandbox(seed: .demo) { sandbox in
      let cellar = Cellar(sandbox: sandbox)
      let connection = try await sandbox.connection()
      try await RestoreScenario.backup(sandbox, Self.documents, to: full)

      // Round 1: edit, add, delete, rename, move, metadata only.
      try await sandbox.upload("\(Self.documents)/Reports 2024/Q1/figures.csv", "a,b\n3,4\n")
      try await sandbox.upload("\(Self.documents)/new.txt", "new in round 1\n")
      try await connection.rest.delete(["\(Self.documents)/a #1 50% + more.txt"])
      try await sandbox.move("\(Self.documents)/caf\u{E9}.txt", "\(Self.documents)/renamed.txt")
      try await sandbox.move("\(Self.documents)/Reports 2024/summary.txt", "\(Self.documents)/Archive/summary.txt")
      let unicode = try #require(
        try await connection.rest.stat("\(Self.documents)/\u{65E5}\u{672C}\u{8A9E} \u{1F600}.txt"))
      try await connection.rest.updateUserMeta(
        [UserMeta(nodeUuid: unicode.uuid, namespace: "usermeta-tags", jsonValue: "\"meta-only\"")])
      var run = try await cellar.run(["backup", Self.documents, "-o", inc1, "-q", "--since", full + ".meta.json"])
      try #require(run.status == 0, "\(run.stderr)")

      let sidecar = try Sidecar(path: inc1 + ".meta.json")
      let base = try #require(sidecar.document["base"] as? [String: Any])
      #expect(base["name"] as? String == "full.tar.gz")
      #expect(base["sha256"] as? String == (try Sidecar(path: full + ".meta.json")).archive["sha256"] as? String)
      let moved = try #require(sidecar.nodesByPath[Array("\(Self.documents)/Archive/summary.txt".utf8)])
      #expect(moved["movedFrom"] as? String == "\(Self.documents)/Reports 2024/summary.txt")
      let stored = try #require(moved["stored"] as? [String: Any], "a moved file is not downloaded again")
      #expect(stored["archive"] as? String == "full.tar.gz")
      #expect(stored["member"] as? String == "\(Self.documents)/Reports 2024/summary.txt")
      let tagged = try #require(sidecar.nodesByPath[Array(unicode.path.utf8)])
      #expect(tagged["stored"] != nil)
      #expect(
        (tagged["userMeta"] as? [[String: Any]])?.contains { $0["jsonValue"] as? String == "\"meta-only\"" } == true)
      let deleted = sidecar.document["deleted"] as? [[String: Any]] ?? []
      #expect(deleted.map { $0["path"] as? String } == ["\(Self.documents)/a #1 50% + more.txt"])
      let members = try await ArchiveListing.read(inc1).members.filter { $0.type == "file" }.map(\.name).sorted()
      #expect(
        members == [
          ".cellar/manifest.json", "\(Self.documents)/Reports 2024/Q1/figures.csv", "\(Self.documents)/new.txt",
        ])

      // Round 2: edit a file of the first incremental, move a folder, delete a folder for good;
      // --since the directory takes its newest backup (inc1).
      try await sandbox.upload("\(Self.documents)/new.txt", "changed in round 2\n")
      try await sandbox.move("\(Self.documents)/Reports 2024", "\(Self.documents)/Old reports")
      try await connection.rest.delete(["\(Self.documents)/.hidden"], permanently: true)
      run = try await cellar.run(["backup", Self.documents, "-o", inc2, "-q", "--since", scratch.url.path])
      try #require(run.status == 0, "\(run.stderr)")
      #expect(
        (try Sidecar(path: inc2 + ".meta.json").document["base"] as? [String: Any])?["name"] as? String
          == "inc1.tar.gz")

      // Nothing changed since: no file bytes at all.
      run = try await cellar.run(["backup", Self.documents, "-o", inc3, "-q", "--since", inc2 + ".meta.json"])
      try #require(run.status == 0, "\(run.stderr)")
      let unchanged = try await ArchiveListing.read(inc3).members.filter { $0.type == "file" }.map(\.name)
      #expect(unchanged == [".cellar/manifest.json"])
      #expect(try Sidecar(path: inc3 + ".meta.json").summary["files"] as? Int == 0)
      return try await SandboxDump.fetch(sandbox)
    }

    try await withSandbox(seed: RestoreScenario.emptyServer) { target in
      let run = try await Cellar(sandbox: target).run(["restore", full, inc1, inc2, "--quiet"])
      #expect(run.status == 0, "\(run.stderr)")
      let restored = try await SandboxDump.fetch(target)
      RestoreScenario.expectSameTree(original, "pydiods1/Documents", restored, "pydiods1/Documents")
    }
    try await withSandbox(seed: RestoreScenario.emptyServer) { target in
      let run = try await Cellar(sandbox: target).run(["restore", inc3, "--chain", "--quiet"])
      #expect(run.status == 0, "\(run.stderr)")
      RestoreScenario.expectSameTree(
        original, "pydiods1/Documents", try await SandboxDump.fetch(target), "pydiods1/Documents")
      let alone = try await Cellar(sandbox: target).run(["restore", inc2, "--dry-run"])
      #expect(alone.status == 64, "an incremental alone is refused")
      #expect(alone.stderr.contains("--chain"))
    }
  }
}

extension Sandbox {
  /// Renames or moves a node keeping its Uuid (`POST /a/sandbox/move`).
  func move(_ from: String, _ to: String) async throws {
    let body = try JSONSerialization.data(withJSONObject: ["From": from, "To": to])
    let run = try await ChildProcess.run(
      "curl",
      [
        "-sf", "-X", "POST", "-H", "Authorization: Bearer \(token(for: "admin"))", "--data-binary",
        String(decoding: body, as: UTF8.self), baseURL.absoluteString + "/a/sandbox/move",
      ])
    guard run.status == 0 else {
      throw ChildFailure(command: "move \(from)", status: run.status, stderr: run.stderr)
    }
  }
}

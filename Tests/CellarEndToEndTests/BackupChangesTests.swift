// CellarEndToEndTests: files whose state moves between the listing and the download, and old
// versions archived with --versions.
import CellarCore
import CellarTestSupport
import CellsSandbox
import Foundation
import Testing

@Suite("cellar backup: changing files and old versions")
struct BackupChangesTests {
  /// Calls `onNode` for each node the backup reports, on the backup's own thread, so the test
  /// can change the server between the listing and the download of what comes next.
  private struct NodeHook: ProgressReporter {
    let onNode: @Sendable (String) -> Void
    func report(_ event: ProgressEvent) {
      if case .node(let node) = event { onNode(node.path) }
    }
  }

  @Test("a file rewritten between the listing and its download is archived as the server now sends it")
  func rewrittenMidRun() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      try await sandbox.upload("common-files/Large/0-first.txt", "listed before the big one\n")
      let rewritten = [UInt8](repeating: 7, count: 12 << 20)
      let connection = try await sandbox.connection()
      // Once the small file is archived, the big one (listed with 30 MiB, streamed when its turn
      // comes) is replaced by 12 MiB of other bytes.
      let hook = NodeHook { path in
        guard path == "common-files/Large/0-first.txt" else { return }
        let done = DispatchSemaphore(value: 0)
        Task {
          _ = try? await connection.s3.put("common-files/Large/video-30MiB.bin") { .bytes(rewritten) }
          done.signal()
        }
        done.wait()
      }
      var options = BackupOptions(sources: ["common-files/Large"], output: scratch.path("large.tar"), format: .tar)
      options.readAheadBytes = 8 << 20
      let summary = try await BackupJob(
        options: options, connection: connection, tracker: ProgressTracker(reporter: hook)
      )
      .run().summary
      #expect(summary.errors == 0)

      let member = try #require(
        try await ArchiveListing.read(options.output).byName[Array("common-files/Large/video-30MiB.bin".utf8)])
      #expect(member.size == 12 << 20, "the header follows the bytes actually sent")
      let node = try #require(
        try Sidecar(path: options.sidecarPath).nodesByPath[Array("common-files/Large/video-30MiB.bin".utf8)])
      #expect(node["size"] as? Int == 12 << 20)
      #expect(node["sha256"] as? String == member.sha256)
      let stated = try #require(try await connection.rest.stat("common-files/Large/video-30MiB.bin"))
      #expect(node["contentHash"] as? String == stated.contentHash, "the node as re-read, not as first listed")
    }
  }

  @Test("--versions stores old versions under .cellar/versions and records them in the manifest")
  func versions() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      try await sandbox.upload("common-files/Documents/draft.txt", "first draft\n")
      try await sandbox.upload("common-files/Documents/draft.txt", "second, final draft\n")
      let archive = scratch.path("versions.tar")
      let run = try await Cellar(sandbox: sandbox).run(
        ["backup", "common-files/Documents", "-o", archive, "-q", "--versions"])
      #expect(run.status == 0, "\(run.stderr)")

      let node = try #require(
        try Sidecar(path: archive + ".meta.json").nodesByPath[Array("common-files/Documents/draft.txt".utf8)])
      let versions = node["versions"] as? [[String: Any]] ?? []
      #expect(versions.count == 1, "the live content is not stored twice")
      let member = try #require(versions.first?["member"] as? String)
      #expect(member.hasPrefix(".cellar/versions/common-files/Documents/draft.txt/"))
      let extracted = try await ChildProcess.run("tar", ["-xOf", archive, member])
      #expect(extracted.stdout == "first draft\n")
      #expect(
        try await ChildProcess.run("tar", ["-xOf", archive, "common-files/Documents/draft.txt"]).stdout
          == "second, final draft\n")
    }
  }
}

// CellarEndToEndTests: `--config` and `--profile` as a user meets them: flags win, prune keeps to
// the profile's own backups, a mistake in the file names its line.
import CellarCore
import CellarTestSupport
import CellsSandbox
import Foundation
import Testing

@Suite("cellar --profile: settings from cellar.toml")
struct ProfileCommandTests {
  /// Writes `text` as the configuration file, readable by its owner only.
  private static func config(_ text: String, in scratch: Scratch) throws -> String {
    let path = scratch.path("cellar.toml")
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
    return path
  }

  @Test("prune --profile removes only the profile's own backups (its sources, its names), whoever shares the folder")
  func pruneKeepsToItsProfile() async throws {
    try await withSandbox(seed: RestoreScenario.smallTree) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      let folder = scratch.path("backups")
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      let config = try Self.config(
        """
        [defaults]
        url = "\(sandbox.baseURL.absoluteString)"
        quiet = true

        [profiles.docs]
        sources = ["common-files/Docs"]
        output = "\(folder)/docs-%Y%m%d-%H%M%S.tar"

        [profiles.docs.retention]
        keep-last = 1

        [profiles.all]
        sources = ["common-files"]
        output = "\(folder)/all-%Y%m%d-%H%M%S.tar"

        [profiles.all.retention]
        keep-last = 5

        [profiles.monthly]
        sources = ["common-files/Docs"]
        output = "\(folder)/monthly-%Y%m%d-%H%M%S.tar"

        [profiles.monthly.retention]
        keep-last = 12
        """, in: scratch)
      let cellar = Cellar(sandbox: sandbox)
      for _ in 0..<2 {
        for profile in ["docs", "all", "monthly"] {
          let run = try await cellar.run(["backup", "--config", config, "--profile", profile])
          #expect(run.status == 0, "\(run.stderr)")
        }
        try await Task.sleep(for: .seconds(1.1))
      }
      let prune = try await cellar.run(["prune", "--config", config, "--profile", "docs"])
      #expect(prune.status == 0, "\(prune.stderr)")
      let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".tar") }
      #expect(names.filter { $0.hasPrefix("docs-") }.count == 1, "\(names)")
      #expect(names.filter { $0.hasPrefix("all-") }.count == 2, "another profile's backups are not its to prune")
      #expect(names.filter { $0.hasPrefix("monthly-") }.count == 2, "nor those of a profile of the same sources")
    }
  }

  @Test("flags win over the profile, --no-FLAG included; a wrong key fails with its line, before anything runs")
  func flagsWinAndMistakesNameTheirLine() async throws {
    try await withSandbox(seed: RestoreScenario.smallTree) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      let config = try Self.config(
        """
        [profiles.nightly]
        url = "\(sandbox.baseURL.absoluteString)"
        sources = ["common-files/Docs"]
        output = "\(scratch.path("from-profile.tar"))"
        local-time = true
        quiet = true
        """, in: scratch)
      let cellar = Cellar(sandbox: sandbox)
      let run = try await cellar.run(
        [
          "backup", "--config", config, "--profile", "nightly", "-o", scratch.path("from-flag.tar"), "--no-local-time",
          "--no-quiet",
        ])
      #expect(run.status == 0, "\(run.stderr)")
      #expect(run.stderr.contains("backup done"), "--no-quiet wins over the profile's quiet: \(run.stderr)")
      #expect(FileManager.default.fileExists(atPath: scratch.path("from-flag.tar")))
      #expect(!FileManager.default.fileExists(atPath: scratch.path("from-profile.tar")))

      let broken = try Self.config(
        """
        [profiles.nightly]
        url = "\(sandbox.baseURL.absoluteString)"
        sources = ["common-files/Docs"]
        outptu = "\(scratch.path("x.tar"))"
        """, in: scratch)
      let refused = try await cellar.run(["backup", "--config", broken, "--profile", "nightly"])
      #expect(refused.status == 64, "\(refused.stderr)")
      #expect(
        refused.stderr.contains("cellar.toml:4: unknown key outptu in [profiles.nightly] (did you mean output?)"),
        "\(refused.stderr)")
    }
  }
}

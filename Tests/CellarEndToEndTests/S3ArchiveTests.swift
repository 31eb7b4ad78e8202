// CellarEndToEndTests: archives on object storage (moto's S3 server, put there by the aws CLI):
// cat, extract and restore --only fetch only the byte ranges they need (issue 18).
import CellarTestSupport
import CellsSandbox
import Foundation
import Testing

@Suite("s3:// archives, read by ranged GETs")
struct S3ArchiveTests {
  static let late = "common-files/Many/file-0420.txt"

  /// The environment of an S3 user with keys in the environment and no AWS files.
  private static func keys(_ scratch: Scratch) -> [String: String] {
    [
      "AWS_ACCESS_KEY_ID": "cellar", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_REGION": "us-east-1",
      "AWS_SHARED_CREDENTIALS_FILE": scratch.path("no-credentials"), "AWS_CONFIG_FILE": scratch.path("no-config"),
    ]
  }

  /// Backs the demo tree up as `format` and copies archive and sidecar to `s3://cellar-test/PREFIX/`
  /// with the aws CLI; the archive's URL and local path.
  private func upload(
    _ sandbox: Sandbox, _ scratch: Scratch, format: String, source: String = "common-files"
  ) async throws -> (url: String, local: String) {
    let name = "nightly-\(UUID().uuidString).\(format)"
    let local = scratch.path(name)
    let backup = try await Cellar(sandbox: sandbox).run(["backup", source, "-o", local, "-q"])
    try #require(backup.status == 0, "\(backup.stderr)")
    let url = "s3://\(MotoServer.bucket)/nightly/\(name)"
    for (file, key) in [(local, url), (local + ".meta.json", url + ".meta.json")] {
      let copy = try await ChildProcess.run(
        "aws", ["--endpoint-url", try MotoServer.endpoint(), "s3", "cp", file, key, "--only-show-errors"],
        environment: Self.keys(scratch))
      try #require(copy.status == 0, "\(copy.stderr)")
    }
    return (url, local)
  }

  private func cellar(_ arguments: [String], _ environment: [String: String]) async throws -> ChildResult {
    try await ChildProcess.run(BuiltProduct.path("cellar"), arguments, environment: environment)
  }

  @Test("cat and extract read one file's frame by ranged GETs, under 1% of the archive", arguments: ["tar.zst", "zip"])
  func catAndExtract(format: String) async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    try await withSandbox(seed: .demo) { sandbox in
      let (url, local) = try await upload(sandbox, scratch, format: format)
      let reference = try ChildProcess.output("bsdtar", ["-xOf", local, Self.late])
      let endpoint = ["--s3-endpoint", try MotoServer.endpoint()]

      let cat = try await cellar(["cat", url, Self.late] + endpoint, Self.keys(scratch))
      #expect(cat.status == 0, "\(cat.stderr)")
      #expect(cat.stdoutData == reference)

      let out = scratch.path("out-\(format)")
      let run = try await cellar(["extract", url, Self.late, "--to", out, "--json"] + endpoint, Self.keys(scratch))
      #expect(run.status == 0, "\(run.stderr)")
      let summary = try run.lastJSONObject()
      #expect(summary["seeked"] as? Bool == true)
      let read = try #require(summary["archiveBytesRead"] as? Int)
      let size = try #require(summary["archiveBytes"] as? Int)
      #expect(read > 0 && read * 100 < size, "\(read) of \(size) bytes fetched")
      #expect(FileManager.default.contents(atPath: out + "/" + Self.late) == reference)
    }
  }

  @Test("a profile in the AWS files gives keys and endpoint; a missing object or key is said plainly")
  func profilesAndErrors() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    try await withSandbox(seed: .demo) { sandbox in
      let (url, local) = try await upload(sandbox, scratch, format: "tar.gz")
      try """
      [default]
      aws_access_key_id = wrong

      [backup]
      aws_access_key_id = cellar
      aws_secret_access_key = secret
      """.write(toFile: scratch.path("credentials"), atomically: true, encoding: .utf8)
      try """
      [profile backup]
      region = eu-west-3
      endpoint_url = \(try MotoServer.endpoint())
      s3 =
        addressing_style = path
      """.write(toFile: scratch.path("config"), atomically: true, encoding: .utf8)
      let files = [
        "AWS_SHARED_CREDENTIALS_FILE": scratch.path("credentials"), "AWS_CONFIG_FILE": scratch.path("config"),
        "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "",
      ].filter { !$0.value.isEmpty }
      let cat = try await cellar(["cat", url, Self.late], files.merging(["AWS_PROFILE": "backup"]) { $1 })
      #expect(cat.status == 0, "\(cat.stderr)")
      #expect(cat.stdoutData == (try ChildProcess.output("bsdtar", ["-xOf", local, Self.late])))
      let named = try await cellar(["cat", url, Self.late, "--s3-profile", "backup"], files)
      #expect(named.status == 0, "\(named.stderr)")

      let missing = try await cellar(["cat", url + ".nothing", Self.late, "--s3-profile", "backup"], files)
      #expect(missing.status == 1)
      #expect(missing.stderr.contains("no such object"), "\(missing.stderr)")
      let noKeys = try await cellar(["cat", url, Self.late], files)
      #expect(noKeys.status == 64, "\(noKeys.stderr)")
      #expect(noKeys.stderr.contains("no S3 credentials"), "\(noKeys.stderr)")
      let badURL = try await cellar(["cat", "s3://bucket-only", Self.late], Self.keys(scratch))
      #expect(badURL.status == 64, "\(badURL.stderr)")
    }
  }

  @Test("restore --only from S3 fetches only what it restores; a whole restore fetches the archive once")
  func restoreFromS3() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    try await withSandbox(seed: .demo) { sandbox in
      let (url, _) = try await upload(sandbox, scratch, format: "tar.zst")
      let environment = Self.keys(scratch).merging(["AWS_ENDPOINT_URL": try MotoServer.endpoint()]) { $1 }
      let cellar = Cellar(sandbox: sandbox)
      let original = try #require(try await SandboxDump.fetch(sandbox).node("pydiods1/Many/file-0420.txt"))

      let one = try await cellar.run(
        ["restore", url, "--only", "Many/file-0420.txt", "--to", "common-files/back", "-q"], environment: environment)
      #expect(one.status == 0, "\(one.stderr)")
      #expect(try await SandboxDump.fetch(sandbox).node("pydiods1/back/Many/file-0420.txt")?.sha256 == original.sha256)

      let (documents, _) = try await upload(sandbox, scratch, format: "zip", source: "common-files/Documents")
      let whole = try await cellar.run(
        ["restore", documents, "--to", "common-files/docs", "-q"], environment: environment)
      #expect(whole.status == 0, "\(whole.stderr)")
      let dump = try await SandboxDump.fetch(sandbox)
      #expect(dump.below("pydiods1/docs").count == dump.below("pydiods1/Documents").count)

      let chain = try await cellar.run(["restore", url, "--chain", "-q"], environment: environment)
      #expect(chain.status == 64, "\(chain.stderr)")
    }
  }
}

// CellarEndToEndTests: backups written straight to object storage (issue 19), against moto's S3
// server failing 5% of its requests: multipart uploads completed only when the backup is,
// incrementals and prune on a prefix, the lock as an object.
import CellarTestSupport
import CellsSandbox
import Foundation
import HashKit
import Synchronization
import Testing

@Suite("Backups written to S3 (moto, 5% faults)")
struct S3OutputTests {
  /// The environment of an S3 user whose endpoint is the faulty moto server.
  private static func environment(_ scratch: Scratch) throws -> [String: String] {
    [
      "AWS_ACCESS_KEY_ID": "cellar", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_REGION": "us-east-1",
      "AWS_SHARED_CREDENTIALS_FILE": scratch.path("no-credentials"), "AWS_CONFIG_FILE": scratch.path("no-config"),
      "AWS_ENDPOINT_URL": try MotoServer.faultyEndpoint(),
    ]
  }

  /// `aws s3api …` against the faulty server (retried by the CLI), its JSON answer.
  private static func s3api(_ scratch: Scratch, _ arguments: [String]) async throws -> [String: Any] {
    let run = try await ChildProcess.run(
      "aws", ["s3api"] + arguments + ["--bucket", MotoServer.bucket, "--output", "json"],
      environment: try environment(scratch).merging(["AWS_MAX_ATTEMPTS": "20", "AWS_RETRY_MODE": "standard"]) { $1 })
    try #require(run.status == 0, "\(run.stderr)")
    guard !run.stdoutData.isEmpty else { return [:] }
    return try #require(try JSONSerialization.jsonObject(with: run.stdoutData) as? [String: Any])
  }

  /// The keys under `prefix`.
  private static func keys(_ scratch: Scratch, prefix: String) async throws -> [String] {
    let listing = try await s3api(scratch, ["list-objects-v2", "--prefix", prefix])
    return ((listing["Contents"] as? [[String: Any]]) ?? []).compactMap { $0["Key"] as? String }.sorted()
  }

  /// Multipart uploads left open under `prefix` holding parts.
  ///
  /// A CreateMultipartUpload whose answer the server lost (one of the injected faults) leaves an
  /// empty upload that no client can know of: it holds no data, and a bucket's lifecycle rule
  /// removes it (README, Job 1). Uploads with parts are what a run must never leave.
  private static func openUploads(_ scratch: Scratch, prefix: String) async throws -> Int {
    let listing = try await s3api(scratch, ["list-multipart-uploads", "--prefix", prefix])
    var withParts = 0
    for upload in (listing["Uploads"] as? [[String: Any]]) ?? [] {
      guard let key = upload["Key"] as? String, let id = upload["UploadId"] as? String else { continue }
      let parts = try await s3api(scratch, ["list-parts", "--key", key, "--upload-id", id])
      if !((parts["Parts"] as? [[String: Any]]) ?? []).isEmpty { withParts += 1 }
    }
    return withParts
  }

  @Test("an encrypted nightly to s3:// is streamed in parts; ls, verify and restore read it back from the bucket")
  func encryptedNightlyToS3() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let (identity, recipient) = try EncryptionTests.keyPair(scratch)
    let prefix = "nightly-\(UUID().uuidString)/"
    let environment = try Self.environment(scratch)
    try await withSandbox(seed: .demo) { sandbox in
      let cellar = Cellar(sandbox: sandbox)
      let output = "s3://\(MotoServer.bucket)/\(prefix)cf-%Y%m%d-%H%M%S.tar.zst"
      let backup = try await cellar.run(
        ["backup", "common-files", "-o", output, "--encrypt-to", recipient, "--json"], environment: environment)
      #expect(backup.status == 0, "\(backup.stderr)")
      let keys = try await Self.keys(scratch, prefix: prefix)
      #expect(keys.count == 2, "\(keys)")
      let archiveKey = try #require(keys.first { $0.hasSuffix(".tar.zst.age") })
      #expect(keys.contains(archiveKey + ".meta.json"))
      #expect(!keys.contains { $0.hasSuffix(".cellar.lock") }, "the lock is released: \(keys)")
      #expect(try await Self.openUploads(scratch, prefix: prefix) == 0)
      let head = try await Self.s3api(scratch, ["head-object", "--key", archiveKey])
      #expect((head["ETag"] as? String)?.contains("-") == true, "a multipart object: \(head)")

      let url = "s3://\(MotoServer.bucket)/\(archiveKey)"
      let list = try await cellar.run(["ls", url, "--identity", identity], environment: environment)
      #expect(list.status == 0, "\(list.stderr)")
      #expect(list.stdout.contains(EncryptionTests.late))
      let verify = try await cellar.run(["verify", url, "--identity", identity, "-q"], environment: environment)
      #expect(verify.status == 0, "\(verify.stderr)\(verify.stdout)")
      let restore = try await cellar.run(
        ["restore", url, "--to", "common-files/back", "--identity", identity, "-q"], environment: environment)
      #expect(restore.status == 0, "\(restore.stderr)")
      let dump = try await SandboxDump.fetch(sandbox)
      let late = "Many/file-0420.txt"
      #expect(dump.node("pydiods1/back/" + late)?.sha256 == dump.node("pydiods1/" + late)?.sha256)
      #expect(dump.below("pydiods1/back/Many").count == dump.below("pydiods1/Many").count)

      // What the bucket holds is what `age -d` opens.
      let local = scratch.path("copy.tar.zst.age")
      let copy = try await ChildProcess.run(
        "aws", ["s3", "cp", url, local, "--only-show-errors"],
        environment: environment.merging(["AWS_MAX_ATTEMPTS": "20"]) { $1 })
      try #require(copy.status == 0, "\(copy.stderr)")
      let plain = try ChildProcess.output("age", ["-d", "-i", identity, local])
      try plain.write(to: URL(fileURLWithPath: scratch.path("plain.tar.zst")))
      let members = try ChildProcess.output("bsdtar", ["-tf", scratch.path("plain.tar.zst")])
      #expect(String(decoding: members, as: UTF8.self).contains(EncryptionTests.late))
    }
    let faults = try MotoServer.faultCounts()
    #expect((faults["refused"] ?? 0) + (faults["lost"] ?? 0) + (faults["cut"] ?? 0) > 0, "\(faults)")
  }

  @Test("a run stopped mid-upload aborts it: no object under the name, no upload or lock left")
  func interruptedUploadLeavesNothing() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let prefix = "stopped-\(UUID().uuidString)/"
    let environment = try Self.environment(scratch)
    try await withSandbox(seed: .demo) { sandbox in
      // Templated: the run holds the prefix's lock, which must go too.
      let output = "s3://\(MotoServer.bucket)/\(prefix)cf-%Y%m%d-%H%M%S.tar"
      let pid = Mutex<Int32>(0)
      async let run = Cellar(sandbox: sandbox).run(
        ["backup", "common-files", "-o", output, "--bwlimit", "2M", "-q"], environment: environment
      ) { started in pid.withLock { $0 = started } }
      // Past the first 8 MiB part, well before the 31 MB of the demo tree are read.
      try await Task.sleep(for: .seconds(6))
      kill(pid.withLock { $0 }, SIGTERM)
      let stopped = try await run
      #expect(stopped.status == 143, "\(stopped.stderr)")
      #expect(try await Self.keys(scratch, prefix: prefix).isEmpty)
      #expect(try await Self.openUploads(scratch, prefix: prefix) == 0)
    }
  }

  @Test(
    "--since an S3 prefix takes its newest backup as base; prune on the prefix keeps the chain; a stale lock is taken over"
  )
  func incrementalsAndPruneOnS3() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let prefix = "chain-\(UUID().uuidString)/"
    let environment = try Self.environment(scratch)
    let folder = "s3://\(MotoServer.bucket)/\(prefix)"
    try await withSandbox(seed: .demo) { sandbox in
      let cellar = Cellar(sandbox: sandbox)
      // A lock left by a run that died an hour ago.
      try """
      {"holder":"pid 1 on gone","token":"x","expires":"2026-01-01T00:00:00Z"}
      """.write(toFile: scratch.path("lock"), atomically: true, encoding: .utf8)
      _ = try await Self.s3api(
        scratch, ["put-object", "--key", prefix + ".cellar.lock", "--body", scratch.path("lock")])

      let output = folder + "cf-%Y%m%d-%H%M%S.tar.gz"
      let full = try await cellar.run(
        ["backup", "common-files", "-o", output, "--since", folder], environment: environment)
      #expect(full.status == 0, "\(full.stderr)")
      #expect(full.stderr.contains("took over a stale lock"), "\(full.stderr)")
      #expect(full.stderr.contains("taking a full backup"), "\(full.stderr)")
      try await sandbox.upload("common-files/new.txt", "added after the full backup")
      try await Task.sleep(for: .seconds(1.1))  // another name for the template's second
      let incremental = try await cellar.run(
        ["backup", "common-files", "-o", output, "--since", folder, "--json"], environment: environment)
      #expect(incremental.status == 0, "\(incremental.stderr)")
      #expect(incremental.stdout.contains("incremental backup since"), "\(incremental.stdout)")

      let keys = try await Self.keys(scratch, prefix: prefix)
      #expect(keys.filter { $0.hasSuffix(".tar.gz") }.count == 2, "\(keys)")
      let prune = try await cellar.run(["prune", folder, "--keep-last", "1"], environment: environment)
      #expect(prune.status == 0, "\(prune.stderr)")
      #expect(prune.stdout.contains("base of"), "\(prune.stdout)")
      #expect(try await Self.keys(scratch, prefix: prefix) == keys)

      // The next full backup frees the chain: prune removes both of its objects, archive and sidecar.
      try await Task.sleep(for: .seconds(1.1))
      let next = try await cellar.run(["backup", "common-files", "-o", output, "-q"], environment: environment)
      #expect(next.status == 0, "\(next.stderr)")
      let pruned = try await cellar.run(["prune", folder, "--keep-last", "1"], environment: environment)
      #expect(pruned.status == 0, "\(pruned.stderr)")
      let left = try await Self.keys(scratch, prefix: prefix)
      #expect(left.count == 2 && left.allSatisfy { !keys.contains($0) }, "\(left)")
    }
  }

  @Test("two runs writing one S3 name at once: one keeps it whole, the other fails; an orphan sidecar is no base")
  func collisionsAndOrphans() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let prefix = "race-\(UUID().uuidString)/"
    let environment = try Self.environment(scratch)
    let folder = "s3://\(MotoServer.bucket)/\(prefix)"
    try await withSandbox(seed: .demo) { sandbox in
      let cellar = Cellar(sandbox: sandbox)
      let folderOutput = try await cellar.run(
        ["backup", "common-files/Documents", "-o", folder], environment: environment)
      #expect(folderOutput.status == 64, "\(folderOutput.stderr)")

      async let first = cellar.run(
        ["backup", "common-files/Documents", "-o", folder + "same.tar"], environment: environment)
      async let second = cellar.run(
        ["backup", "common-files/Many", "-o", folder + "same.tar"], environment: environment)
      let runs = try await [first, second]
      #expect(runs.filter { $0.status == 0 }.count == 1, "\(runs.map(\.stderr))")
      let loser = try #require(runs.first { $0.status != 0 })
      #expect(
        loser.stderr.contains("appeared while this run was writing it") || loser.stderr.contains("already exists"),
        "\(loser.stderr)")
      let verify = try await cellar.run(["verify", folder + "same.tar", "-q"], environment: environment)
      #expect(verify.status == 0, "archive and sidecar are one run's: \(verify.stderr)")
      let replaced = try await cellar.run(
        ["backup", "common-files/Documents", "-o", folder + "same.tar", "--overwrite", "-q"], environment: environment)
      #expect(replaced.status == 0, "\(replaced.stderr)")
      let again = try await cellar.run(["verify", folder + "same.tar", "-q"], environment: environment)
      #expect(again.status == 0, "the new sidecar describes the new archive: \(again.stderr)")
      for reserved in [".cellar.lock", "x.meta.json"] {
        let run = try await cellar.run(
          ["backup", "common-files/Documents", "-o", folder + reserved, "--format", "tar"], environment: environment)
        #expect(run.status == 64, "\(reserved): \(run.stderr)")
      }

      // Full, incremental; the incremental's archive is deleted: the next --since takes the full.
      let output = folder + "cf-%Y%m%d-%H%M%S.tar.gz"
      let night = ["backup", "common-files/Documents", "-o", output, "--since", folder, "-q"]
      for _ in 0..<2 {
        let run = try await cellar.run(night, environment: environment)
        try #require(run.status == 0, "\(run.stderr)")
        try await Task.sleep(for: .seconds(1.1))
      }
      let archives = try await Self.keys(scratch, prefix: prefix + "cf-").filter { $0.hasSuffix(".tar.gz") }
      try #require(archives.count == 2, "\(archives)")
      _ = try await Self.s3api(scratch, ["delete-object", "--key", archives[1]])
      let next = try await cellar.run(night.dropLast() + ["--json"], environment: environment)
      #expect(next.status == 0, "\(next.stderr)")
      #expect(next.stdout.contains("is missing: not taken as the base"), "\(next.stdout)")
      let name = String(archives[0].split(separator: "/").last!)
      #expect(next.stdout.contains("incremental backup since \(name)"), "\(next.stdout)")
    }
  }
}

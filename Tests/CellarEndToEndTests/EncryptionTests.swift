// CellarEndToEndTests: encrypted backups (issue 19): age files that Debian's `age` opens, and
// archives `age` encrypted that cellar restores; wrong keys and damage fail before anything is
// restored.
import CellarTestSupport
import CellsSandbox
import Foundation
import HashKit
import Testing

@Suite("Encrypted backups (age)")
struct EncryptionTests {
  static let late = "common-files/Many/file-0420.txt"

  /// A new identity file in `scratch` and its recipient, made by age-keygen.
  static func keyPair(_ scratch: Scratch, _ name: String = "key") throws -> (identity: String, recipient: String) {
    let identity = scratch.path(name)
    _ = try ChildProcess.output("age-keygen", ["-o", identity])
    let recipient = String(decoding: try ChildProcess.output("age-keygen", ["-y", identity]), as: UTF8.self)
    return (identity, recipient.trimmingCharacters(in: .whitespacesAndNewlines))
  }

  static func sha256(_ data: Data) throws -> String {
    try SHA256.hash(Array(data)).hex
  }

  @Test("an encrypted backup is two age files; age -d gives the plain archive the sidecar records")
  func ageOpensWhatCellarWrote() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let (identity, recipient) = try Self.keyPair(scratch)
    try await withSandbox(seed: .demo) { sandbox in
      let backup = try await Cellar(sandbox: sandbox).run(
        ["backup", "common-files", "-o", scratch.path("night.tar.zst"), "--encrypt-to", recipient, "-q"])
      #expect(backup.status == 0, "\(backup.stderr)")
      let archive = scratch.path("night.tar.zst.age")
      let sidecar = archive + ".meta.json"
      for file in [archive, sidecar] {
        let bytes = try #require(FileManager.default.contents(atPath: file))
        #expect(bytes.starts(with: Data("age-encryption.org/v1\n".utf8)), "\(file)")
        // Names and tags are not readable in either file.
        #expect(bytes.range(of: Data("file-0420".utf8)) == nil, "\(file)")
      }
      let plain = try ChildProcess.output("age", ["-d", "-i", identity, archive])
      let plainSidecar = try ChildProcess.output("age", ["-d", "-i", identity, sidecar])
      let record = try #require(
        String(decoding: plainSidecar, as: UTF8.self).split(separator: "\n").last.map { Data("{\($0)".utf8) })
      let archiveRecord = try #require(
        (try JSONSerialization.jsonObject(with: record) as? [String: Any])?["archive"] as? [String: Any])
      #expect(archiveRecord["sha256"] as? String == (try Self.sha256(plain)))
      #expect(archiveRecord["bytes"] as? Int == plain.count)
      #expect(archiveRecord["encryption"] as? String == "age")
      try plain.write(to: URL(fileURLWithPath: scratch.path("plain.tar.zst")))
      let listing = try ChildProcess.output("bsdtar", ["-tf", scratch.path("plain.tar.zst")])
      #expect(String(decoding: listing, as: UTF8.self).contains(Self.late))
    }
  }

  @Test("ls, verify, cat, extract and restore open an encrypted backup with --identity, reading only what they need")
  func cellarReadsItsEncryptedBackups() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let (identity, recipient) = try Self.keyPair(scratch)
    try await withSandbox(seed: .demo) { sandbox in
      let cellar = Cellar(sandbox: sandbox)
      let backup = try await cellar.run(
        ["backup", "common-files", "-o", scratch.path("night.tar.zst"), "--encrypt-to", recipient, "-q"])
      try #require(backup.status == 0, "\(backup.stderr)")
      let archive = scratch.path("night.tar.zst.age")
      let key = ["--identity", identity]

      let noKey = try await cellar.run(["ls", archive])
      #expect(noKey.status == 64, "\(noKey.stderr)")
      #expect(noKey.stderr.contains("encrypted"), "\(noKey.stderr)")

      let list = try await cellar.run(["ls", archive] + key)
      #expect(list.status == 0, "\(list.stderr)")
      #expect(list.stdout.contains(Self.late))

      let verify = try await cellar.run(["verify", archive, "-q"] + key)
      #expect(verify.status == 0, "\(verify.stderr)\(verify.stdout)")

      let original = try #require(try await SandboxDump.fetch(sandbox).node("pydiods1/Many/file-0420.txt"))
      let cat = try await cellar.run(["cat", archive, Self.late] + key)
      #expect(cat.status == 0, "\(cat.stderr)")
      #expect(try Self.sha256(cat.stdoutData) == original.sha256)

      let out = scratch.path("out")
      let extract = try await cellar.run(["extract", archive, Self.late, "--to", out, "--json"] + key)
      #expect(extract.status == 0, "\(extract.stderr)")
      let summary = try extract.lastJSONObject()
      #expect(summary["seeked"] as? Bool == true)
      let read = try #require(summary["archiveBytesRead"] as? Int)
      let size = try #require(summary["archiveBytes"] as? Int)
      #expect(read * 10 < size, "\(read) of \(size) bytes read")

      let restore = try await cellar.run(["restore", archive, "--to", "common-files/back", "-q"] + key)
      #expect(restore.status == 0, "\(restore.stderr)")
      let dump = try await SandboxDump.fetch(sandbox)
      #expect(dump.node("pydiods1/back/Many/file-0420.txt")?.sha256 == original.sha256)
      #expect(dump.below("pydiods1/back/Many").count == dump.below("pydiods1/Many").count)
      for run in [list, verify, extract, restore] {
        #expect(!run.stdout.contains("AGE-SECRET-KEY") && !run.stderr.contains("AGE-SECRET-KEY"))
      }
    }
  }

  @Test("cellar restores an archive and sidecar that age -r encrypted, and one encrypted to a passphrase")
  func cellarOpensWhatAgeWrote() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let (identity, recipient) = try Self.keyPair(scratch)
    try await withSandbox(seed: .demo) { sandbox in
      let cellar = Cellar(sandbox: sandbox)
      let plain = scratch.path("docs.tar.gz")
      let backup = try await cellar.run(["backup", "common-files/Documents", "-o", plain, "-q"])
      try #require(backup.status == 0, "\(backup.stderr)")
      let archive = scratch.path("docs.tar.gz.age")
      _ = try ChildProcess.output("age", ["-r", recipient, "-o", archive, plain])
      _ = try ChildProcess.output("age", ["-r", recipient, "-o", archive + ".meta.json", plain + ".meta.json"])
      let restore = try await cellar.run(
        ["restore", archive, "--to", "common-files/from-age", "--identity", identity, "-q"])
      #expect(restore.status == 0, "\(restore.stderr)")
      let dump = try await SandboxDump.fetch(sandbox)
      #expect(dump.below("pydiods1/from-age").count == dump.below("pydiods1/Documents").count)

      // A passphrase (age's scrypt recipient), read from a file.
      try "correct horse battery staple\n".write(toFile: scratch.path("pass"), atomically: true, encoding: .utf8)
      try "wrong\n".write(toFile: scratch.path("wrong"), atomically: true, encoding: .utf8)
      let locked = try await cellar.run(
        [
          "backup", "common-files/Documents", "-o", scratch.path("pass.zip"), "--passphrase-file", scratch.path("pass"),
          "-q",
        ])
      #expect(locked.status == 0, "\(locked.stderr)")
      let opened = try await cellar.run(
        ["verify", scratch.path("pass.zip.age"), "--passphrase-file", scratch.path("pass"), "-q"])
      #expect(opened.status == 0, "\(opened.stderr)")
      let refused = try await cellar.run(
        ["verify", scratch.path("pass.zip.age"), "--passphrase-file", scratch.path("wrong"), "-q"])
      #expect(refused.status != 0)
      #expect(refused.stderr.contains("passphrase"), "\(refused.stderr)")
      #expect(!refused.stderr.contains("correct horse") && !refused.stderr.contains("wrong\n"))
    }
  }

  @Test("a wrong key, a flipped byte or a cut file: a clear error, and nothing restored")
  func damageAndWrongKeys() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let (identity, recipient) = try Self.keyPair(scratch)
    let (other, _) = try Self.keyPair(scratch, "other")
    try await withSandbox(seed: .demo) { sandbox in
      let cellar = Cellar(sandbox: sandbox)
      let backup = try await cellar.run(
        ["backup", "common-files", "-o", scratch.path("night.tar.xz"), "--encrypt-to", recipient, "-q"])
      try #require(backup.status == 0, "\(backup.stderr)")
      let archive = scratch.path("night.tar.xz.age")
      let bytes = try #require(FileManager.default.contents(atPath: archive))

      let wrongKey = try await cellar.run(["restore", archive, "--to", "common-files/wrong", "--identity", other])
      #expect(wrongKey.status != 0)
      #expect(wrongKey.stderr.contains("none of the given identities"), "\(wrongKey.stderr)")

      var flipped = bytes
      flipped[flipped.count / 2] ^= 0x20
      try flipped.write(to: URL(fileURLWithPath: archive))
      let damaged = try await cellar.run(["restore", archive, "--to", "common-files/flipped", "--identity", identity])
      #expect(damaged.status != 0)
      #expect(damaged.stderr.contains("damaged") || damaged.stderr.contains("changed"), "\(damaged.stderr)")
      let verify = try await cellar.run(["verify", archive, "--identity", identity])
      #expect(verify.status == 3, "\(verify.stderr)")

      try bytes.prefix(bytes.count - 1000).write(to: URL(fileURLWithPath: archive))
      let cut = try await cellar.run(["restore", archive, "--to", "common-files/cut", "--identity", identity])
      #expect(cut.status != 0)
      let cutVerify = try await cellar.run(["verify", archive, "--identity", identity])
      #expect(cutVerify.status == 3, "a cut archive is damaged: \(cutVerify.stderr)")

      let dump = try await SandboxDump.fetch(sandbox)
      for folder in ["wrong", "flipped", "cut"] {
        #expect(dump.below("pydiods1/\(folder)").filter { $0.value.type == "LEAF" }.isEmpty, "\(folder)")
      }
    }
  }

  @Test("encrypted incrementals: --since reads the encrypted base with the identity; the chain verifies and prunes")
  func encryptedIncrementals() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let (identity, recipient) = try Self.keyPair(scratch)
    let folder = scratch.path("nightly")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    try await withSandbox(seed: .demo) { sandbox in
      let cellar = Cellar(sandbox: sandbox)
      let output = folder + "/cf-%Y%m%d-%H%M%S.tar.gz"
      let night = ["backup", "common-files/Documents", "-o", output, "--since", folder, "--encrypt-to", recipient]
      let full = try await cellar.run(night + ["--identity", identity, "-q"])
      #expect(full.status == 0, "\(full.stderr)")
      try await Task.sleep(for: .seconds(1.1))
      let noKey = try await cellar.run(night + ["-q"])
      #expect(noKey.status == 64, "\(noKey.stderr)")
      #expect(noKey.stderr.contains("encrypted"), "\(noKey.stderr)")
      try await sandbox.upload("common-files/Documents/new.txt", "added after the full backup")
      let incremental = try await cellar.run(night + ["--identity", identity, "--json"])
      #expect(incremental.status == 0, "\(incremental.stderr)")
      #expect(incremental.stdout.contains("incremental backup since"), "\(incremental.stdout)")

      let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".tar.gz.age") }
        .sorted()
      try #require(names.count == 2, "\(names)")
      let last = folder + "/" + names[1]
      let chain = try await cellar.run(["verify", last, "--chain", "--identity", identity, "-q"])
      #expect(chain.status == 0, "\(chain.stderr)")
      let prune = try await cellar.run(["prune", folder, "--keep-last", "1", "--identity", identity])
      #expect(prune.status == 0, "\(prune.stderr)")
      #expect(prune.stdout.contains("base of"), "\(prune.stdout)")
      let listing = try await cellar.run(["ls", last, "--identity", identity])
      #expect(listing.stdout.contains("common-files/Documents/new.txt"))
    }
  }

  @Test("key files as people write them: CRLF passphrases, pipes; mistakes named without echoing secrets")
  func keyFileMistakes() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let (identity, recipient) = try Self.keyPair(scratch)
    try "secret pass\r\n".write(toFile: scratch.path("crlf"), atomically: true, encoding: .utf8)
    try "secret pass\n".write(toFile: scratch.path("lf"), atomically: true, encoding: .utf8)
    try recipient.write(toFile: scratch.path("recipient.txt"), atomically: true, encoding: .utf8)
    try await withSandbox(seed: .demo) { sandbox in
      let cellar = Cellar(sandbox: sandbox)
      let source = ["backup", "common-files/Documents"]
      let windows = try await cellar.run(
        source + ["-o", scratch.path("p.tar"), "--passphrase-file", scratch.path("crlf")])
      #expect(windows.status == 0, "\(windows.stderr)")
      let unix = try await cellar.run([
        "verify", scratch.path("p.tar.age"), "--passphrase-file", scratch.path("lf"), "-q",
      ])
      #expect(unix.status == 0, "the CR is not part of the passphrase: \(unix.stderr)")

      // An identity from a pipe, as `--identity <(pass show …)` gives it.
      let piped = try await ChildProcess.run(
        "/bin/bash",
        [
          "-c",
          "'\(BuiltProduct.path("cellar"))' ls '\(scratch.path("p.tar.age"))' "
            + "--passphrase-file <(cat '\(scratch.path("lf"))')",
        ])
      #expect(piped.status == 0, "\(piped.stderr)")

      let publicKey = try await cellar.run([
        "ls", scratch.path("p.tar.age"), "--identity", scratch.path("recipient.txt"),
      ])
      #expect(publicKey.status == 64)
      #expect(publicKey.stderr.contains("holds a recipient"), "\(publicKey.stderr)")

      let secret =
        try String(contentsOfFile: identity, encoding: .utf8).split(separator: "\n")
        .first { $0.hasPrefix("AGE-SECRET-KEY-") }.map(String.init) ?? "?"
      // As pasted, with a space before it.
      let pasted = try await cellar.run(source + ["-o", scratch.path("s.tar"), "--encrypt-to", " " + secret])
      #expect(pasted.status == 64)
      #expect(!pasted.stderr.contains(secret) && !pasted.stdout.contains(secret), "\(pasted.stderr)")

      let plain = try await cellar.run(source + ["-o", scratch.path("a.tar"), "-q"])
      try #require(plain.status == 0, "\(plain.stderr)")
      _ = try ChildProcess.output(
        "age", ["-a", "-r", recipient, "-o", scratch.path("a.tar.age"), scratch.path("a.tar")])
      let armored = try await cellar.run(["verify", scratch.path("a.tar.age"), "--identity", identity])
      #expect(armored.status == 64)
      #expect(armored.stderr.contains("ASCII-armored"), "\(armored.stderr)")
    }
  }
}

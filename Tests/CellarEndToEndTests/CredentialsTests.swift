// CellarEndToEndTests: secrets and backups stay private, and a refused token says what to do
// (issue 15, point 6).
import CellarTestSupport
import CellsSandbox
import Foundation
import Testing

@Suite("cellar: credentials and the privacy of what it writes")
struct CredentialsTests {
  @Test("archives and sidecars are created 0600, whatever the umask")
  func privateOutputs() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      let archive = scratch.path("docs.tar.gz")
      // umask 000 would leave 0666 to a file created 0666; cellar sets the mode itself.
      let run = try await ChildProcess.run(
        "/bin/sh",
        [
          "-c", "umask 000 && exec \"$0\" \"$@\"", BuiltProduct.path("cellar"), "backup",
          "common-files/Documents", "-o", archive, "-q",
        ],
        environment: Cellar(sandbox: sandbox).environment)
      try #require(run.status == 0, "\(run.stderr)")
      for path in [archive, archive + ".meta.json"] {
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600, "\(path): \(String(mode?.intValue ?? 0, radix: 8))")
      }
    }
  }

  @Test(
    "--token-command: the token is the command's first line; a failing command is a usage error, its output unshown")
  func tokenCommand() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      let cellar = Cellar(sandbox: sandbox)
      let noToken = ["CELLS_TOKEN": ""]
      let token = sandbox.token(for: "admin")
      let good = try await cellar.run(
        [
          "backup", "common-files/Documents", "-o", scratch.path("a.tar"), "-q",
          "--token-command", "printf '%s\\nsecond line\\n' \(token)",
        ], environment: noToken)
      #expect(good.status == 0, "\(good.stderr)")
      let bad = try await cellar.run(
        [
          "backup", "common-files/Documents", "-o", scratch.path("b.tar"), "-q",
          "--token-command", "printf 's3cr3t-%s' output; exit 7",
        ], environment: noToken)
      #expect(bad.status == 64, "\(bad.stderr)")
      #expect(bad.stderr.contains("exit status 7") && !bad.stderr.contains("s3cr3t-output"), "\(bad.stderr)")
      #expect(!FileManager.default.fileExists(atPath: scratch.path("b.tar")))
    }
  }

  @Test("a token file readable by others is named in a warning; the run goes on")
  func exposedTokenFile() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      let tokenFile = scratch.path("token")
      try Data(sandbox.token(for: "admin").utf8).write(to: URL(fileURLWithPath: tokenFile))
      try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: tokenFile)
      let cellar = Cellar(sandbox: sandbox)
      let arguments = ["backup", "common-files/Documents", "--token-file", tokenFile, "-q", "-o"]
      var run = try await cellar.run(arguments + [scratch.path("first.tar")], environment: ["CELLS_TOKEN": ""])
      #expect(run.status == 0, "\(run.stderr)")
      #expect(run.stderr.contains("warning: \(tokenFile) can be read by others (mode 644): chmod 600"), "\(run.stderr)")
      try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: tokenFile)
      run = try await cellar.run(arguments + [scratch.path("group.tar")], environment: ["CELLS_TOKEN": ""])
      #expect(run.stderr.contains("\(tokenFile) can be read by its group (mode 640)"), "\(run.stderr)")
      // A link to a private file (a Kubernetes secret mount) is judged by the file it names.
      try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: tokenFile)
      let link = scratch.path("token-link")
      try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: tokenFile)
      run = try await cellar.run(
        ["backup", "common-files/Documents", "--token-file", link, "-q", "-o", scratch.path("second.tar")],
        environment: ["CELLS_TOKEN": ""])
      #expect(run.status == 0, "\(run.stderr)")
      #expect(!run.stderr.contains("warning"), "\(run.stderr)")
    }
  }

  @Test("a token the server refuses is said to be refused (invalid or expired), with how to get another")
  func refusedToken() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let scratch = try Scratch()
      defer { scratch.remove() }
      let run = try await Cellar(sandbox: sandbox).run(
        ["backup", "common-files", "-o", scratch.path("x.tar")], environment: ["CELLS_TOKEN": "not-a-token"])
      #expect(run.status == 4, "\(run.stderr)")
      #expect(run.stderr.contains("the server refused the token (401: invalid or expired)"), "\(run.stderr)")
      #expect(run.stderr.contains("cells admin user token"), "\(run.stderr)")
      #expect(!run.stderr.contains("the token expired"), "\(run.stderr)")
    }
  }
}

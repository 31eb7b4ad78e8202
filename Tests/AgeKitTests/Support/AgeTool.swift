// AgeKitTests: the reference implementation, the `age` and `age-keygen` tools (Debian's age 1.1.1),
// run as child processes; passphrases are typed into them through a pseudo-terminal.
import CellarTestSupport
import Foundation

/// An X25519 key pair made by age-keygen, its identity file in a scratch folder.
struct ToolKey {
  /// The identity file age-keygen wrote.
  var identityFile: String
  /// The recipient, as `age-keygen -y` prints it.
  var recipient: String

  /// Runs age-keygen into `folder`.
  init(in folder: Scratch, name: String = "key") throws {
    identityFile = folder.path(name)
    _ = try ChildProcess.output("age-keygen", ["-o", identityFile])
    recipient = String(decoding: try ChildProcess.output("age-keygen", ["-y", identityFile]), as: UTF8.self)
      .trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// The identity file's text.
  func identityText() throws -> String {
    try String(contentsOfFile: identityFile, encoding: .utf8)
  }
}

/// Runs the age tool.
enum AgeTool {
  /// Decrypts `file` with the identity file `identity` and returns the plaintext.
  static func decrypt(_ file: String, identity: String) throws -> [UInt8] {
    [UInt8](try ChildProcess.output("age", ["-d", "-i", identity, file]))
  }

  /// Encrypts `plaintext` to `recipients` and returns the age file.
  static func encrypt(_ plaintext: [UInt8], recipients: [String], in folder: Scratch) throws -> [UInt8] {
    let input = folder.path("plain-\(UUID().uuidString)")
    let output = folder.path("encrypted-\(UUID().uuidString).age")
    try Data(plaintext).write(to: URL(fileURLWithPath: input))
    _ = try ChildProcess.output("age", recipients.flatMap { ["-r", $0] } + ["-o", output, input])
    return [UInt8](try Data(contentsOf: URL(fileURLWithPath: output)))
  }

  /// Runs `age arguments` with `passphrase` typed at each passphrase prompt, as a user would; age
  /// reads passphrases from its terminal only, so the child gets a pseudo-terminal.
  static func withPassphrase(_ passphrase: String, _ arguments: [String]) throws -> ChildResult {
    try ChildProcess.runBlocking("python3", ["-c", ptyScript, passphrase, "age"] + arguments, timeout: .seconds(60))
  }

  /// Forks `argv[2:]` on a pseudo-terminal and answers each prompt that asks for a passphrase;
  /// exits with the child's status, echoing what it wrote to the terminal on standard error.
  static let ptyScript = #"""
    import os, pty, sys
    passphrase = sys.argv[1].encode()
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(sys.argv[2], sys.argv[2:])
    seen, answered = b"", 0
    while True:
        try:
            data = os.read(fd, 1024)
        except OSError:
            break
        if not data:
            break
        seen += data
        # A prompt is complete when its line has reached its colon.
        prompts = [line for line in seen.split(b"\n") if b"passphrase" in line and b":" in line
                   and not line.startswith(b"age:")]
        while answered < len(prompts):
            os.write(fd, passphrase + b"\n")
            answered += 1
    _, status = os.waitpid(pid, 0)
    sys.stderr.write(seen.decode(errors="replace"))
    sys.exit(os.waitstatus_to_exitcode(status))
    """#
}

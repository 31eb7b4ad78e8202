// CellarCore: a secret printed by a command (`token-command = "pass show cells/backup"`).
import Foundation

/// Runs a shell command that prints a secret on its standard output (a password manager, a
/// vault client) and returns its first line.
///
/// The command's standard error goes to ours (a password manager may need to say why it
/// failed); its output is never echoed. It runs in a process group of its own, killed whole
/// when it does not finish within `limit`, so that nothing it started outlives it.
public enum SecretCommand {
  /// The first line `command` prints, run by `/bin/sh -c` on a thread of its own.
  public static func output(of command: String, limit: Duration = .seconds(60)) async throws -> String {
    try await OwnThread.run { try run(command, limit: limit) }
  }

  private static func run(_ command: String, limit: Duration) throws -> String {
    var pipe: [Int32] = [-1, -1]
    guard Glibc.pipe(&pipe) == 0 else { throw failure("cannot make a pipe") }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_adddup2(&actions, pipe[1], 1)
    posix_spawn_file_actions_addclose(&actions, pipe[0])
    posix_spawn_file_actions_addclose(&actions, pipe[1])
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
    posix_spawnattr_setpgroup(&attributes, 0)
    let words: [String] = ["/bin/sh", "-c", command]
    let arguments: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
    defer { for argument in arguments { free(argument) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, "/bin/sh", &actions, &attributes, arguments, environ)
    close(pipe[1])
    defer { close(pipe[0]) }
    guard spawned == 0 else { throw failure("cannot start /bin/sh: \(String(cString: strerror(spawned)))") }

    let (output, exit) = readOutput(pipe[0], of: pid, until: .now + limit)
    // Whatever it left running (or all of it, when it overran) goes with it.
    kill(-pid, SIGKILL)
    var status: Int32 = exit ?? 0
    if exit == nil { while waitpid(pid, &status, 0) < 0 && errno == EINTR {} }
    guard let output else { throw failure("stopped after \(limit.components.seconds) s") }
    let exited = status & 0x7f == 0
    guard exited, (status >> 8) & 0xff == 0 else {
      let how = exited ? "exit status \((status >> 8) & 0xff)" : "killed by signal \(status & 0x7f)"
      throw failure("\(how); its output is not shown")
    }
    let text = String(decoding: output, as: UTF8.self)
    let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
    let secret = line.trimmingCharacters(in: .whitespaces)
    guard !secret.isEmpty else { throw failure("it printed nothing") }
    return secret
  }

  /// What `descriptor` gives (at most 64 KiB kept) until its end or until the shell `pid` has
  /// exited and nothing more is waiting (a child it left in the background may hold the pipe
  /// open), with the shell's wait status when it was reaped; nil output when `deadline` passes
  /// first.
  private static func readOutput(
    _ descriptor: Int32, of pid: pid_t, until deadline: ContinuousClock.Instant
  ) -> (output: [UInt8]?, status: Int32?) {
    var output: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    var exited: Int32?
    while true {
      if exited == nil {
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid { exited = status }
      }
      guard ContinuousClock.now < deadline else { return (nil, exited) }
      var poll = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
      let ready = Glibc.poll(&poll, 1, exited == nil ? 100 : 0)
      if ready < 0 && errno == EINTR { continue }
      guard ready > 0 else {
        if exited != nil || ready < 0 { return (output, exited) }
        continue
      }
      let count = read(descriptor, &buffer, buffer.count)
      if count < 0 && errno == EINTR { continue }
      guard count > 0 else { return (output, exited) }
      if output.count < 64 << 10 { output += buffer[..<count] }
    }
  }

  /// The command itself is not repeated: it may hold a secret, and the message goes to cron's mail.
  private static func failure(_ reason: String) -> CellarError {
    .usage("token-command failed: \(reason)")
  }
}

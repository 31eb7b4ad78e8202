// CellarCore: a secret printed by a command (`token-command = "pass show cells/backup"`).
import Foundation

/// Runs a shell command that prints a secret on its standard output (a password manager, a
/// vault client) and returns its first line.
///
/// The command's standard error goes to ours (a password manager may need to say why it
/// failed); its output is never echoed. A command that does not finish within `limit` is
/// killed.
public enum SecretCommand {
  /// The first line `command` prints, run by `/bin/sh -c` on a thread of its own.
  public static func output(of command: String, limit: Duration = .seconds(60)) async throws -> String {
    try await OwnThread.run { try run(command, limit: limit) }
  }

  private static func run(_ command: String, limit: Duration) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command]
    let output = Pipe()
    process.standardOutput = output
    process.standardInput = FileHandle.nullDevice
    do {
      try process.run()
    } catch {
      throw CellarError.usage("token-command \(command): cannot start /bin/sh: \(error.localizedDescription)")
    }
    let timer = DispatchWorkItem { if process.isRunning { process.terminate() } }
    DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(Int(limit.components.seconds)), execute: timer)
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    timer.cancel()
    guard process.terminationReason == .exit, process.terminationStatus == 0 else {
      let how =
        process.terminationReason == .exit
        ? "exit status \(process.terminationStatus)" : "stopped after \(limit.components.seconds) s"
      throw CellarError.usage("token-command \(command) failed (\(how)); its output is not shown")
    }
    let text = String(decoding: data, as: UTF8.self)
    let line = text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }).first.map(String.init) ?? ""
    let secret = line.trimmingCharacters(in: .whitespaces)
    guard !secret.isEmpty else { throw CellarError.usage("token-command \(command) printed nothing") }
    return secret
  }
}

import ArgumentParser
import CellarCore
import Testing

@testable import CellarCLI

@Suite("cellar backup command line")
struct BackupCommandTests {
  private func exitCode(_ arguments: [String]) -> Int32 {
    do {
      var command = try Cellar.parseAsRoot(arguments)
      try command.validate()
      return 0
    } catch {
      return Cellar.exitCode(for: error).rawValue
    }
  }

  @Test("the format comes from --format or the output's name; tar on standard output")
  func formats() throws {
    #expect(exitCode(["backup", "ws", "-o", "out.tar.zst"]) == 0)
    #expect(exitCode(["backup", "ws", "-o", "out.bin", "--format", "zip"]) == 0)
    #expect(exitCode(["backup", "ws", "-o", "-", "--sidecar", "s.json"]) == 0)
    #expect(exitCode(["backup", "ws", "-o", "out.bin"]) == 64)
    #expect(exitCode(["backup", "ws", "-o", "out.tar", "--format", "rar"]) == 64)
  }

  @Test("usage errors exit 64 with a message that says what to do")
  func usage() {
    #expect(exitCode(["backup", "ws", "-o", "-"]) == 64)
    #expect(exitCode(["backup", "ws", "-o", "-", "--sidecar", "s.json", "--json"]) == 64)
    #expect(exitCode(["backup", "ws", "-o", "x.tar", "--jobs", "0"]) == 64)
    #expect(exitCode(["backup", "-o", "x.tar"]) == 64)
    do {
      _ = try Cellar.parseAsRoot(["backup", "ws", "-o", "-"])
    } catch {
      #expect(Cellar.message(for: error).contains("--sidecar"))
    }
  }

  @Test("help documents every backup option")
  func help() {
    let help = Cellar.helpMessage(for: BackupCommand.self)
    for option in [
      "--output", "--format", "--level", "--admin", "--include", "--exclude", "--include-recycle-bin", "--versions",
      "--jobs", "--sidecar", "--dry-run", "--url", "--token-file", "--login", "--password-file", "--insecure",
      "--ca-file", "--timeout", "--retries", "--json", "--quiet",
    ] {
      #expect(help.contains(option), "missing \(option)")
    }
  }

  @Test("failures map to exit codes through one table")
  func exitStatuses() {
    #expect(ExitStatus(error: CellarError.usage("x")) == .usage)
    #expect(ExitStatus(error: CellarError.failed("x")) == .failure)
    #expect(ExitStatus.partial.rawValue == 3)
    #expect(ExitStatus.denied.rawValue == 4)
  }
}

// CellarCoreTests: `token-command`: the first line of a command's output, bounded in time, and
// nothing it started left running.
import CellarCore
import CellarTestSupport
import Foundation
import Testing

@Suite("SecretCommand: a token printed by a command")
struct SecretCommandTests {
  @Test("the first line, trimmed; the rest of the output is ignored")
  func firstLine() async throws {
    #expect(try await SecretCommand.output(of: "printf '  t0ken \\r\\nsecond\\n'") == "t0ken")
  }

  @Test("a command that prints the token and leaves a child holding its output is done when it exits")
  func backgroundChild() async throws {
    let start = ContinuousClock.now
    #expect(try await SecretCommand.output(of: "echo t0ken; sleep 600 &", limit: .seconds(300)) == "t0ken")
    // Neither the child's 600 s nor the 300 s limit: loose, since a loaded test run delays
    // resumptions by tens of seconds (17 s seen), and a bound is not a benchmark.
    #expect(ContinuousClock.now - start < .seconds(120))
  }

  @Test("a command that hangs is killed with what it started, and fails within its limit")
  func hangingCommandIsKilled() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let pidFile = scratch.path("pid")
    let start = ContinuousClock.now
    await #expect(throws: CellarError.self) {
      try await SecretCommand.output(of: "sleep 300 & echo $! > '\(pidFile)'; wait", limit: .seconds(2))
    }
    #expect(ContinuousClock.now - start < .seconds(120), "bounded by its limit, not by the 300 s sleep")
    let pid = try #require(
      Int32(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
    // The child of the shell is gone too: kill(pid, 0) fails with ESRCH (or it is a zombie of init's).
    var alive = kill(pid, 0) == 0
    for _ in 0..<20 where alive {
      try await Task.sleep(for: .milliseconds(100))
      let state = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
      alive = kill(pid, 0) == 0 && !state.contains(") Z ")
    }
    #expect(!alive, "the sleep the command started was killed with it")
  }

  @Test("a failing command is a usage error that does not show its output")
  func failure() async throws {
    do {
      _ = try await SecretCommand.output(of: "printf 'half-a-%s' secret; exit 3")
      Issue.record("no error")
    } catch let error as CellarError {
      #expect("\(error)".contains("exit status 3") && !"\(error)".contains("half-a-secret"), "\(error)")
    }
  }
}

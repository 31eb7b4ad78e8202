import ArgumentParser
import CellarCore
import Testing

@testable import CellarCLI

@Suite("cellar command line")
struct CellarCommandTests {
  @Test("--version prints the release version")
  func version() {
    #expect(throws: (any Error).self) { _ = try Cellar.parseAsRoot(["--version"]) }
    do {
      _ = try Cellar.parseAsRoot(["--version"])
    } catch {
      #expect(Cellar.fullMessage(for: error) == CellarVersion.current)
      #expect(Cellar.exitCode(for: error) == .success)
    }
  }

  @Test("--help says what cellar is")
  func help() {
    let help = Cellar.helpMessage()
    #expect(help.contains("Back up Pydio Cells workspaces into ordinary archives"))
    #expect(help.contains("USAGE: cellar"))
  }

  @Test("an unknown option is a usage error (exit 64)")
  func unknownOption() {
    do {
      _ = try Cellar.parseAsRoot(["--no-such-option"])
      Issue.record("parsing should have failed")
    } catch {
      #expect(Cellar.exitCode(for: error) == .validationFailure)
      #expect(Cellar.exitCode(for: error).rawValue == 64)
    }
  }
}

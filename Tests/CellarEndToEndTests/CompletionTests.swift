// CellarEndToEndTests: the shell completions offer files where a file is expected and the
// values of --format and --on-conflict (issue 15: `cellar verify cf-<TAB>` offered nothing).
import CellarTestSupport
import Foundation
import Testing

@Suite("shell completions")
struct CompletionTests {
  /// What bash's completion offers for `line` (the last word being completed), run in `folder`.
  private func bashCompletions(_ line: String, in folder: String) async throws -> [String] {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let script = scratch.path("cellar.bash")
    let generated = try await ChildProcess.run(BuiltProduct.path("cellar"), ["--generate-completion-script", "bash"])
    try #require(generated.status == 0, "\(generated.stderr)")
    try generated.stdoutData.write(to: URL(fileURLWithPath: script))
    // As bash calls a completion function: the words, the index of the one completed, the line.
    let driver = """
      source "$0"; cd "$1"
      read -ra COMP_WORDS <<< "$2"; [[ "$2" == *" " ]] && COMP_WORDS+=("")
      COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMP_LINE="$2"; COMP_POINT=${#COMP_LINE}; COMPREPLY=()
      _cellar cellar "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
      printf '%s\\n' "${COMPREPLY[@]}"
      """
    let run = try await ChildProcess.run("/bin/bash", ["-c", driver, script, folder, line])
    try #require(run.status == 0, "\(run.stderr)")
    return run.stdout.split(separator: "\n").map(String.init).sorted()
  }

  @Test("archive arguments complete file names; --format and --on-conflict complete their values")
  func bash() async throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    for name in ["cf-20261128.tar.zst", "cf-20261128.tar.zst.meta.json", "notes.txt"] {
      FileManager.default.createFile(atPath: scratch.path(name), contents: Data())
    }
    let folder = scratch.url.path
    #expect(
      try await bashCompletions("cellar verify cf-", in: folder) == [
        "cf-20261128.tar.zst", "cf-20261128.tar.zst.meta.json",
      ])
    #expect(try await bashCompletions("cellar ls n", in: folder) == ["notes.txt"])
    #expect(try await bashCompletions("cellar restore cf-20261128.tar.zst --sidecar n", in: folder) == ["notes.txt"])
    #expect(
      try await bashCompletions("cellar backup common-files --format tar.", in: folder) == [
        "tar.gz", "tar.xz", "tar.zst",
      ])
    #expect(
      try await bashCompletions("cellar restore x.tar --on-conflict ", in: folder).filter { !$0.contains(".") }
        == ["fail", "overwrite", "rename", "skip"])
  }

  @Test("zsh and fish scripts carry the same values")
  func zshAndFish() async throws {
    for shell in ["zsh", "fish"] {
      let run = try await ChildProcess.run(BuiltProduct.path("cellar"), ["--generate-completion-script", shell])
      #expect(run.status == 0, "\(run.stderr)")
      for value in ["tar.zst", "zip", "overwrite", "rename"] {
        #expect(run.stdout.contains(value), "\(shell): \(value)")
      }
    }
  }
}

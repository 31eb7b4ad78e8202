// CellarCLI: how a command reports what it does (docs/architecture.md, "Progress and output").
import ArgumentParser
import CellarCore
import Foundation

/// `--json` and `--quiet`.
struct ReportingOptions: ParsableArguments {
  @Flag(help: "Write one JSON object per line on standard output (start, progress, node, warning, error, summary).")
  var json = false

  @Flag(
    name: .shortAndLong, inversion: .prefixedNo,
    help: "Print nothing but errors (--no-quiet: print progress, over a profile's quiet).")
  var quiet: Bool?

  @Flag(name: .shortAndLong, help: "Also print each node as it is done.")
  var verbose = false

  /// Takes `quiet` from `profile` when no flag said how to report.
  mutating func fill(from profile: Profile) {
    if !json && !verbose { quiet = quiet ?? profile.bool(.quiet) }
  }

  /// The reporter these flags ask for; `plan` (a dry run) prints every node on standard output.
  func reporter(plan: Bool = false) -> any ProgressReporter {
    if json { return JSONLinesReporter(output: .standardOutput) }
    if quiet == true { return ErrorsOnlyReporter() }
    return HumanReporter(isTerminal: isatty(STDERR_FILENO) == 1, verbose: verbose, planOnStandardOutput: plan)
  }
}

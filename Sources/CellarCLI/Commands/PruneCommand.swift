// CellarCLI: `cellar prune DIR --keep-…`.
import ArgumentParser
import CellarCore
import Foundation

/// Removes old backups from a directory by a retention policy.
struct PruneCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "prune",
    abstract: "Remove old backups from a directory, keeping those a retention policy names.",
    discussion: """
      The backups are the sidecars (*.meta.json) of DIR, dated by the time each backup started. \
      The policy is restic's: --keep-last N keeps the N newest; --keep-daily N keeps the newest \
      backup of each of the N most recent days that have one, and so on for hours, weeks (ISO \
      8601, Monday first), months and years; every rule with count left also keeps the oldest \
      backup. Calendar buckets are UTC unless --local-time. A full backup (or incremental) \
      that a kept incremental is relative to is always kept ("base of …"). An archive and its \
      sidecar are removed together. Each backup gets one line: keep (with the rules that keep \
      it) or remove. With --dry-run nothing is removed.
      """)

  @Argument(help: ArgumentHelp("The directory holding the archives and their sidecars.", valueName: "dir"))
  var directory: String

  @Option(help: ArgumentHelp("Keep the N newest backups.", valueName: "n"))
  var keepLast = 0

  @Option(help: ArgumentHelp("Keep the newest backup of each of the N most recent hours.", valueName: "n"))
  var keepHourly = 0

  @Option(help: ArgumentHelp("Keep the newest backup of each of the N most recent days.", valueName: "n"))
  var keepDaily = 0

  @Option(help: ArgumentHelp("Keep the newest backup of each of the N most recent weeks.", valueName: "n"))
  var keepWeekly = 0

  @Option(help: ArgumentHelp("Keep the newest backup of each of the N most recent months.", valueName: "n"))
  var keepMonthly = 0

  @Option(help: ArgumentHelp("Keep the newest backup of each of the N most recent years.", valueName: "n"))
  var keepYearly = 0

  @Flag(help: "Take calendar days, weeks, months and years in local time instead of UTC.")
  var localTime = false

  @Flag(help: "Print what would be kept and removed; remove nothing.")
  var dryRun = false

  @Flag(name: .shortAndLong, help: "Print nothing but errors.")
  var quiet = false

  func validate() throws {
    for value in [keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly] where value < 0 {
      throw ValidationError("--keep-* counts cannot be negative")
    }
  }

  func run() async throws {
    var policy = RetentionPolicy()
    policy.last = keepLast
    policy.hourly = keepHourly
    policy.daily = keepDaily
    policy.weekly = keepWeekly
    policy.monthly = keepMonthly
    policy.yearly = keepYearly
    if localTime { policy.timeZone = .current }
    let (directory, dryRun, quiet) = (self.directory, self.dryRun, self.quiet)
    try await CommandRunner.run(reporter: ErrorsOnlyReporter()) { [policy] in
      _ = try Prune.run(directory: directory, policy: policy, dryRun: dryRun) { line in
        if !quiet { print(line) }
      }
      return 0
    }
  }
}

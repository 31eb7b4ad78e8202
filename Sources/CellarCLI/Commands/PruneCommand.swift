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

      The policy applies to each group of backups on its own: by default those of one server, \
      context and set of sources (--group-by server,context,sources), so that a workspace \
      backed up rarely keeps its backups beside one backed up every hour. Each group is printed \
      before its backups; --group-by '' takes all backups as one group. With --profile, only \
      the backups of the profile's sources are considered, whatever else the folder holds. \
      Shards of a backup (backup --shard) are always grouped apart. prune takes the \
      folder's lock (DIR/.cellar.lock, the lock of templated backups) and waits while a \
      backup holds it.
      """)

  @Argument(
    help: ArgumentHelp(
      "The directory holding the archives and their sidecars, or an S3 prefix s3://BUCKET/PREFIX/ "
        + "(default: the folder of the profile's output).", valueName: "dir"),
    completion: .directory)
  var directory: String?

  @Option(help: ArgumentHelp("Keep the N newest backups.", valueName: "n"))
  var keepLast: Int?

  @Option(help: ArgumentHelp("Keep the newest backup of each of the N most recent hours.", valueName: "n"))
  var keepHourly: Int?

  @Option(help: ArgumentHelp("Keep the newest backup of each of the N most recent days.", valueName: "n"))
  var keepDaily: Int?

  @Option(help: ArgumentHelp("Keep the newest backup of each of the N most recent weeks.", valueName: "n"))
  var keepWeekly: Int?

  @Option(help: ArgumentHelp("Keep the newest backup of each of the N most recent months.", valueName: "n"))
  var keepMonthly: Int?

  @Option(help: ArgumentHelp("Keep the newest backup of each of the N most recent years.", valueName: "n"))
  var keepYearly: Int?

  @Option(
    help: ArgumentHelp(
      "Apply the policy to each group of backups with the same of these (server, context, sources; '' for one group; "
        + "default: all three).",
      valueName: "keys"))
  var groupBy: String?

  @OptionGroup(title: "Encrypted backups")
  var decryption: DecryptionOptions

  @OptionGroup(title: "S3 backups")
  var s3: S3Options

  @Option(help: ArgumentHelp("The lock to take (default: DIR/.cellar.lock).", valueName: "file"), completion: .file())
  var lock: String?

  @Flag(help: "Take calendar days, weeks, months and years in local time instead of UTC.")
  var localTime = false

  @Flag(help: "Print what would be kept and removed; remove nothing.")
  var dryRun = false

  @Flag(
    name: .shortAndLong, inversion: .prefixedNo,
    help: "Print nothing but errors (--no-quiet: print every decision, over a profile's quiet).")
  var quiet: Bool?

  @OptionGroup(title: "Profile")
  var profile: ProfileOptions

  mutating func validate() throws {
    if let profile = try profile.load() { try fill(from: profile) }
    guard directory != nil else { throw ValidationError("give the directory to prune (or --profile NAME)") }
    for value in keeps.compactMap({ $0 }) where value < 0 {
      throw ValidationError("--keep-* counts cannot be negative")
    }
    do {
      _ = try PruneGroup.keys(groupBy ?? Self.defaultGroups)
    } catch {
      throw ValidationError("\(error)")
    }
  }

  private static let defaultGroups = "server,context,sources"

  private var keeps: [Int?] { [keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly] }

  /// Takes from `profile` what no flag gave: the policy (`[profiles.NAME.retention]`) only when
  /// no --keep-* flag was given, the directory from the profile's output.
  private mutating func fill(from profile: Profile) throws {
    if keeps.allSatisfy({ $0 == nil }) {
      keepLast = profile.retention(.keepLast)?.integer
      keepHourly = profile.retention(.keepHourly)?.integer
      keepDaily = profile.retention(.keepDaily)?.integer
      keepWeekly = profile.retention(.keepWeekly)?.integer
      keepMonthly = profile.retention(.keepMonthly)?.integer
      keepYearly = profile.retention(.keepYearly)?.integer
      guard keeps.contains(where: { $0 != nil }) else {
        throw ValidationError(
          "profile \(profile.name) has no [profiles.\(profile.name).retention]: give --keep-* flags")
      }
    }
    groupBy = groupBy ?? profile.retention(.groupBy)?.string
    if directory == nil {
      guard let output = profile.string(.output), let folder = OutputTemplate.folder(of: output) else {
        throw ValidationError("profile \(profile.name) names no output whose folder is fixed: give the directory")
      }
      directory = folder
    }
    decryption.fill(from: profile)
    s3.fill(from: profile)
    // A dry run's plan is its point: the profile's quiet does not hide it.
    quiet = quiet ?? (dryRun ? nil : profile.bool(.quiet))
  }

  func run() async throws {
    var policy = RetentionPolicy()
    policy.last = keepLast ?? 0
    policy.hourly = keepHourly ?? 0
    policy.daily = keepDaily ?? 0
    policy.weekly = keepWeekly ?? 0
    policy.monthly = keepMonthly ?? 0
    policy.yearly = keepYearly ?? 0
    if localTime { policy.timeZone = .current }
    let (directory, dryRun, quiet) = (self.directory!, self.dryRun, self.quiet == true)
    let groupBy = try PruneGroup.keys(self.groupBy ?? Self.defaultGroups)
    let lockPath = lock ?? RunLock.path(inFolder: directory)
    let reporter: any ProgressReporter = quiet ? ErrorsOnlyReporter() : HumanReporter(isTerminal: false, verbose: false)
    let (decryption, s3) = (decryption, s3)
    // A profile prunes its own backups only, whoever else writes to the folder.
    let scope = try profile.load().map { profile in
      Prune.Scope(
        context: profile.context, sources: profile.strings(.sources),
        output: profile.string(.output) ?? "")
    }
    if let scope, scope.sources.isEmpty {
      throw ValidationError("profile \(profile.profile ?? "") names no sources: its backups cannot be told apart")
    }
    let interrupted: @Sendable () -> String = { "interrupted; what was removed so far stays removed, the rest is kept" }
    try await CommandRunner.run(reporter: reporter, interrupted: interrupted) { [policy] in
      try decryption.install()
      let print: (String) -> Void = { line in if !quiet { Swift.print(line) } }
      if let folder = try S3ObjectURL(directory.hasSuffix("/") ? directory : directory + "/") {
        let settings = try s3.settings(for: directory)!
        // A backup writing under the prefix may be about to take one of these as its base.
        let lockURL = try lock.flatMap { try S3ObjectURL($0) } ?? S3Lease.url(besides: folder)
        let held =
          dryRun
          ? nil : try await S3Lease.acquire(lockURL, settings: settings, tracker: ProgressTracker(reporter: reporter))
        do {
          _ = try await Prune.run(
            folder: folder, settings: settings, policy: policy, groupBy: groupBy, scope: scope, dryRun: dryRun,
            report: print)
        } catch {
          await held?.release()
          throw error
        }
        await held?.release()
        return 0
      }
      var isFolder: ObjCBool = false
      guard FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder), isFolder.boolValue else {
        throw CellarError.usage("cannot read the directory \(directory)")
      }
      // A backup running in the folder may be about to take one of these as its base.
      let held = dryRun ? nil : try await RunLock.acquire(lockPath, tracker: ProgressTracker(reporter: reporter))
      defer { held?.release() }
      _ = try Prune.run(
        directory: directory, policy: policy, groupBy: groupBy, scope: scope, dryRun: dryRun, report: print)
      return 0
    }
  }
}

// CellarCore: `cellar restore`: an archive back into Cells, metadata included
// (docs/architecture.md, "Restore data path").
import CellsKit
import Foundation

/// Restores a cellar archive (or a plain tar or zip, contents only) into a Cells server.
///
/// ```
/// ArchiveScan (whole archive read first: damaged or hostile archives are refused)
///   → ArchiveCursor + ManifestIndex → RestorePlanner (one listing per target folder)
///   → uploads (small files PUT in parallel, large ones multipart) → MetadataApplier
/// ```
public enum Restore {
  /// Runs the restore `options` describe against `connection`, reporting on `tracker`, and
  /// returns the number of nodes that failed (each one reported).
  ///
  /// Throws, before anything is written, for an archive that cannot be trusted, and for
  /// `--on-conflict fail` when a node exists.
  public static func run(
    _ options: RestoreOptions, connection: CellsConnection, tracker: ProgressTracker
  ) async throws -> Int {
    let chain = try RestoreChain.archives(options)
    let passes: [RestoreSetup]
    if chain.count == 1 {
      let plan = try await RestoreSetup.prepare(options, connection: connection, tracker: tracker)
      if let base = plan.header?.base, !options.ownMembersOnly {
        plan.discard()
        throw CellarError.usage(
          "\(options.archive) is an incremental backup (relative to \(base.name)): restore the whole chain, "
            + "cellar restore FULL … \(options.archive), or add --chain")
      }
      passes = [plan]
    } else {
      passes = try await RestoreChain.prepare(options, chain: chain, connection: connection, tracker: tracker)
    }
    defer { for plan in passes { plan.discard() } }
    if options.onConflict == .fail, !options.dryRun {
      // Every conflict is looked for before the first write.
      let quiet = ProgressTracker(reporter: SilentReporter())
      for plan in passes { try await RestorePass(setup: plan, tracker: quiet, dryRun: true).run() }
    }
    let matched = try await tracker.run {
      var matched: Set<Int> = []
      for plan in passes {
        let pass = RestorePass(setup: plan, tracker: tracker, dryRun: options.dryRun)
        try await pass.run()
        matched.formUnion(pass.matchedPatterns)
      }
      return matched
    }
    let unmatched = options.only.indices.filter { !matched.contains($0) }.map { options.only[$0] }
    if !unmatched.isEmpty {
      // Said after the pass, which restored what the other patterns matched (nothing when none did).
      throw CellarError.usage(
        "--only \(unmatched.joined(separator: " ")): nothing in \(options.archive) matches; a pattern is "
          + "matched on the path below the backup's source (Documents/report.pdf) or on the whole path as "
          + "cellar ls prints it (common-files/Documents/report.pdf)"
          + (matched.isEmpty ? "" : "; what the other patterns match was \(options.dryRun ? "planned" : "restored")"))
    }
    tracker.report(.summary(tracker.snapshot, output: options.destination))
    return tracker.snapshot.errors
  }
}

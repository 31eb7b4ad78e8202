// CellarCore: `cellar prune DIR --keep-…`: old backups removed by a retention policy, never a
// backup a kept incremental needs.
import Foundation

/// Applies a retention policy to the backups of a directory.
public enum Prune {
  /// What happens to one backup.
  public struct Decision: Sendable, Equatable {
    /// The backup.
    public var entry: ArchiveCatalog.Entry
    /// Why it is kept ("daily", "weekly", "base of X"…); empty when it is removed.
    public var reasons: [String]

    /// Whether it is kept.
    public var isKept: Bool { !reasons.isEmpty }
  }

  /// Decides, then (unless `dryRun`) removes each backup not kept.
  ///
  /// An archive and its sidecar go together. Returns the decisions, oldest first. `report`
  /// gets one line per backup.
  public static func run(
    directory: String, policy: RetentionPolicy, dryRun: Bool, report: (String) -> Void
  ) throws -> [Decision] {
    guard !policy.isEmpty else {
      throw CellarError.usage("give at least one --keep-last, --keep-hourly, --keep-daily, … rule; nothing was removed")
    }
    let catalog = try ArchiveCatalog.scan(directory)
    for (path, reason) in catalog.unreadable { report("ignore \(path): \(reason)") }
    let decisions = decide(catalog.entries, policy: policy)
    for decision in decisions {
      let name = (decision.entry.archive as NSString).lastPathComponent
      if decision.isKept {
        report("keep   \(name)  \(decision.entry.header.startedAt)  (\(decision.reasons.joined(separator: ", ")))")
        continue
      }
      report("\(dryRun ? "would remove" : "remove") \(name)  \(decision.entry.header.startedAt)")
      guard !dryRun else { continue }
      for path in [decision.entry.archive, decision.entry.sidecar] {
        do {
          try FileManager.default.removeItem(atPath: path)
        } catch CocoaError.fileNoSuchFile {
          continue
        } catch {
          throw CellarError.failed("cannot remove \(path): \((error as NSError).localizedDescription)")
        }
      }
    }
    return decisions
  }

  /// The policy's decisions for `entries` (oldest first), plus every backup a kept
  /// incremental depends on, through its chain of bases.
  public static func decide(_ entries: [ArchiveCatalog.Entry], policy: RetentionPolicy) -> [Decision] {
    let reasons = policy.apply(entries.map(\.startedAt))
    var decisions = zip(entries, reasons).map { Decision(entry: $0, reasons: $1) }
    let bySHA = Dictionary(entries.indices.map { (entries[$0].record.sha256, $0) }) { first, _ in first }
    for index in decisions.indices.reversed() where decisions[index].isKept {
      var current = index
      while let base = decisions[current].entry.header.base, let baseIndex = bySHA[base.sha256] {
        // Its chain was walked already for a newer dependent.
        if decisions[baseIndex].reasons.contains(where: { $0.hasPrefix("base of ") }) { break }
        let dependent = (decisions[current].entry.archive as NSString).lastPathComponent
        decisions[baseIndex].reasons.append("base of \(dependent)")
        current = baseIndex
      }
    }
    return decisions
  }
}

// CellarCore: `cellar drill`: a random sample of an archive restored into a scratch folder on
// the server, checked, then deleted.
import CellsKit
import Foundation
import HashKit

/// Proves that an archive restores: a sample of its files goes back to the server, is read back
/// and compared with the manifest, and the scratch folder is deleted permanently.
public enum RestoreDrill {
  /// Runs the drill, telling `say` each step.
  ///
  /// Problems are in the report (the caller decides the exit status); a drill that could not
  /// run throws.
  public static func run(
    _ options: DrillOptions, connection: CellsConnection, tracker: ProgressTracker,
    say: @escaping @Sendable (String) -> Void
  ) async throws -> DrillReport {
    var archives: [Drawn.Archive] = []
    for archive in options.archives {
      let sidecar = try await ArchiveLocation.sidecar(for: archive, given: nil)
      let remote = try S3ObjectURL(archive) != nil
      if sidecar == nil, remote {
        throw CellarError.usage("\(archive) has no sidecar beside it: a drill needs its manifest")
      }
      archives.append(.init(name: archive, sidecar: sidecar, remote: remote))
    }
    let drawn = try await OwnThread.run { [archives] in try Drawn(archives, size: options.sample, seed: options.seed) }
    var report = DrillReport()
    (report.totalFiles, report.totalBytes) = (drawn.files, drawn.bytes)
    guard let first = drawn.sample.first else {
      throw CellarError.failed(
        "no file to drill among the \(drawn.files) of \(options.archives.joined(separator: " "))"
          + (drawn.drawable < drawn.files
            ? " that an incremental archive on S3 holds itself: drill its full backup" : ""))
    }
    let (scratch, created) = try await scratchFolder(
      options, header: drawn.archives[first.archive].header!, first: first.node, connection: connection)
    report.scratch = scratch
    say(
      "restoring \(drawn.sample.count) of \(drawn.drawable) files into \(scratch)"
        + (drawn.drawable < drawn.files ? " (an incremental archive on S3 is drilled among the files it holds)" : ""))
    do {
      for (index, archive) in drawn.archives.enumerated() {
        let nodes = drawn.sample.filter { $0.archive == index }.map(\.node)
        guard !nodes.isEmpty, let header = archive.header else { continue }
        var restore = RestoreOptions(
          archive: archive.name, sidecar: nil, destination: scratch, only: nodes.map { Self.literal($0.path) },
          onConflict: .fail, restoresMetadata: true, jobs: options.jobs, dryRun: false)
        // Chains restore from local files; an S3 incremental restores the members it holds.
        restore.followChain = header.base != nil && !archive.remote
        restore.ownMembersOnly = header.base != nil && archive.remote
        restore.s3 = options.s3
        // The sidecar fetched to draw the sample serves the restores too: no second download.
        if archive.remote { restore.sidecar = archive.sidecar }
        // The same restore planned but not done first: what a restore costs whatever it uploads
        // (reading the manifest, planning), which the estimate must not scale with the sample.
        var plan = restore
        plan.dryRun = true
        report.planSeconds += try await seconds {
          _ = try await Restore.run(plan, connection: connection, tracker: tracker)
        }
        // A node the restore could not write is found missing below, once per sampled file.
        report.restoreSeconds += try await seconds {
          _ = try await Restore.run(restore, connection: connection, tracker: tracker)
        }
        let mapper = try TargetMapper(roots: header.sources, destination: scratch, only: [])
        for node in nodes {
          guard case .path(let target) = mapper.target(for: node.path) else { continue }
          report.files += 1
          report.bytes += node.size ?? 0
          report.problems += try await check(node, at: target, connection: connection)
        }
      }
    } catch {
      // Even when the drill was stopped (SIGINT cancels this task): the removal runs detached,
      // so that its requests are not cancelled with the drill.
      if !options.keepScratch {
        _ = await Task.detached { await remove(created, connection: connection) }.value
      }
      throw error
    }
    if options.keepScratch {
      say("kept \(scratch) (--keep-scratch): delete it yourself")
    } else {
      report.leftover = await remove(created, connection: connection)
      if report.leftover == nil { say("deleted \(created)") }
    }
    return report
  }

  private static func seconds(_ work: () async throws -> Void) async throws -> Double {
    let start = ContinuousClock.now
    try await work()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
  }

  /// `--scratch`, else `WORKSPACE/cellar-drill-TIME`, and the topmost folder the drill creates.
  ///
  /// The folder created (the scratch folder itself, or a missing parent) is what is deleted
  /// afterwards. Refused when the scratch folder exists (a drill never writes over anything) or
  /// when no workspace holds it.
  private static func scratchFolder(
    _ options: DrillOptions, header: ManifestHeader, first: ManifestNode, connection: CellsConnection
  ) async throws -> (scratch: String, created: String) {
    let scratch: String
    if let given = options.scratch {
      let parts = given.split(separator: "/", omittingEmptySubsequences: false)
      let inner = parts.drop(while: \.isEmpty).reversed().drop(while: \.isEmpty)
      guard !inner.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else {
        throw CellarError.usage("--scratch \(given): give a plain Cells path, without ., .. or //")
      }
      // Names Cells gives a meaning to: a folder marker, the recycle bin.
      guard !inner.contains(where: { $0 == ".pydio" || $0 == "recycle_bin" }) else {
        throw CellarError.usage("--scratch \(given): .pydio and recycle_bin are the server's own names")
      }
      scratch = CellsPath(given).string
    } else {
      guard header.context == TreeWalker.Context.user.rawValue, let workspace = CellsPath(first.path).segments.first
      else { throw CellarError.usage("an admin backup's drill needs --scratch WORKSPACE/FOLDER") }
      let stamp = Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false))
        .replacingOccurrences(of: ":", with: "")
      scratch = "\(workspace)/cellar-drill-\(stamp)-\(UInt16.random(in: .min ... .max))"
    }
    guard CellsPath(scratch).segments.count >= 2,
      !CellsPath(scratch).segments.contains(where: { $0 == ".." || $0 == "." })
    else {
      throw CellarError.usage("--scratch \(scratch): give a folder inside a workspace, WORKSPACE/FOLDER")
    }
    if try await connection.rest.stat(scratch) != nil {
      throw CellarError.usage("the scratch folder \(scratch) exists: a drill restores only into a new folder")
    }
    // The nearest existing folder above it must be a folder of a workspace.
    var created = CellsPath(scratch)
    for parent in created.ancestors {
      guard let node = try await connection.rest.stat(parent.string) else {
        guard parent.segments.count >= 2 else {
          throw CellarError.usage("--scratch \(scratch): there is no workspace \(parent.string)")
        }
        created = parent
        continue
      }
      guard node.isFolder else { throw CellarError.usage("--scratch \(scratch): \(parent.string) is a file") }
      break
    }
    return (scratch, created.string)
  }

  /// The problems of the restored copy of `node` at `target`: presence, size, the server's
  /// hash, the bytes' SHA-256 read back over S3, and the user metadata.
  private static func check(_ node: ManifestNode, at target: String, connection: CellsConnection) async throws
    -> [String]
  {
    guard let live = try await connection.rest.stat(target) else { return ["\(node.path): not restored"] }
    var problems: [String] = []
    if let size = node.size, size != live.size { problems.append("\(node.path): size \(live.size), not \(size)") }
    if let recorded = node.contentHash, let now = live.contentHash, recorded != now {
      problems.append("\(node.path): the server's hash is \(now), not \(recorded)")
    }
    if let expected = node.sha256 {
      let hasher = try SHA256()
      try await connection.s3.get(target) { chunk in try chunk.withUnsafeBytes { try hasher.update($0) } }
      let actual = try hasher.finalize().hex
      if actual != expected { problems.append("\(node.path): SHA-256 \(actual) read back, not \(expected)") }
    }
    for (key, value) in node.metaStore where key.hasPrefix("usermeta-") && live.metaStore[key] != value {
      problems.append("\(node.path): metadata \(key) is \(live.metaStore[key] ?? "missing"), not \(value)")
    }
    return problems
  }

  /// Deletes `folder` permanently (not into the recycle bin) and waits until it is gone;
  /// returns why it could not, nil once it is gone.
  private static func remove(_ folder: String, connection: CellsConnection) async -> String? {
    do {
      do {
        try await connection.rest.delete([folder], permanently: true)
      } catch {
        // A retried delete whose first answer was lost finds nothing (404): gone is gone.
        let gone: Bool
        do { gone = try await connection.rest.stat(folder) == nil } catch { gone = false }
        guard gone else { throw error }
        return nil
      }
      // Deletion is a job on the server: it is done when the folder no longer answers.
      for _ in 0..<120 {
        if try await connection.rest.stat(folder) == nil { return nil }
        try await Task.sleep(for: .milliseconds(500))
      }
      return "\(folder) is still there a minute after its deletion was asked: delete it yourself"
    } catch {
      return "could not delete \(folder) (\(error)): delete it yourself"
    }
  }

  /// A `--only` pattern that matches `path` alone: glob characters in names taken literally.
  static func literal(_ path: String) -> String {
    var pattern = ""
    for character in path {
      switch character {
      case "*", "?", "[": pattern += "[\(character)]"
      default: pattern.append(character)
      }
    }
    return pattern
  }
}

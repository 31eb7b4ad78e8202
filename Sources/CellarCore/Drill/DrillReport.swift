// CellarCore: what a restore drill found and measured.

/// The outcome of a drill: what was restored and checked, what did not match, and what a full
/// restore of the archive would take.
public struct DrillReport: Sendable {
  /// The files restored and checked.
  public var files = 0
  /// Their bytes.
  public var bytes: Int64 = 0
  /// The files of the whole archive's last state.
  public var totalFiles = 0
  /// Their bytes.
  public var totalBytes: Int64 = 0
  /// How long the sample's restore took.
  public var restoreSeconds = 0.0
  /// How long the same restore took to plan without uploading (a dry run): the part of a
  /// restore's duration that does not grow with what it uploads.
  public var planSeconds = 0.0
  /// One line per problem: a file missing, of another size, hash or content, or metadata lost.
  public var problems: [String] = []
  /// The scratch folder used.
  public var scratch = ""
  /// Why the scratch folder (or a parent the drill created) is still on the server, if it is.
  public var leftover: String?

  /// Bytes a file costs a restore beyond its own, besides its bytes: fitted to the restore
  /// benchmarks (Benchmarks/results.md: 10,000 files of 4 KiB in 5.3 s and 4 files of 256 MiB
  /// in 9.5 s give 0.5 ms a file and 113 MB/s, a file costing as much as 56 KB).
  static let bytesPerFile: Double = 65_536

  /// A full restore's duration: the planning part as measured, the uploading part scaled from
  /// the sample's by files and bytes together.
  ///
  /// A small sample restores with fewer uploads in flight than a whole archive, so this leans
  /// long.
  public var estimatedFullRestoreSeconds: Double {
    let sampled = Double(bytes) + Double(files) * Self.bytesPerFile
    guard sampled > 0 else { return 0 }
    let uploading = max(restoreSeconds - planSeconds, 0)
    let scaled = planSeconds + uploading * (Double(totalBytes) + Double(totalFiles) * Self.bytesPerFile) / sampled
    // Never shorter than the sample's own restore, which is part of the whole.
    return max(scaled, restoreSeconds)
  }
}

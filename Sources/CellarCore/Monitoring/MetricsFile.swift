// CellarCore: the Prometheus text file a run leaves for node_exporter's textfile collector.
import DescriptorIO
import Foundation

/// Writes `RunMetrics` into a Prometheus text exposition file, atomically.
///
/// Several profiles may share one file: a run replaces the series of its own command and
/// profile and keeps the others (and keeps its own last success time when it failed). The file
/// is rewritten under a temporary name and renamed, under an exclusive `flock` of `FILE.lock`,
/// so the collector never reads half a file and two runs never lose each other's lines.
public enum MetricsFile {
  /// Records `metrics` in the file at `path`.
  public static func record(_ metrics: RunMetrics, at given: String) throws {
    // A link is followed (relative ones too): its target is the file the collector reads.
    let path =
      realpath(given, nil).map { resolved in
        defer { free(resolved) }
        return String(cString: resolved)
      } ?? given
    let lock = open(path + ".lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
    guard lock >= 0 else { throw failure(path, "cannot open \(path).lock") }
    defer { close(lock) }
    guard flock(lock, LOCK_EX) == 0 else { throw failure(path, "cannot lock \(path).lock") }

    let existing = (try? String(contentsOfFile: path, encoding: .utf8)).map(PrometheusText.init) ?? PrometheusText()
    var samples = existing.samples
    let prefix = "cellar_\(metrics.command)_"
    let mine = { (sample: PrometheusText.Sample) in
      sample.name.hasPrefix(prefix) && sample.labels["profile"] == metrics.profile
    }
    let lastSuccess = samples.first { mine($0) && $0.name == prefix + "last_success_timestamp_seconds" }?.value
    samples.removeAll(where: mine)
    var help = existing.help
    for gauge in metrics.allGauges(lastSuccess: lastSuccess) {
      samples.append(.init(name: prefix + gauge.name, labels: ["profile": metrics.profile], value: gauge.value))
      help[prefix + gauge.name] = gauge.help
    }
    try write(PrometheusText(samples: samples, help: help).rendered, to: path)
  }

  /// Replaces the file at `path` with `text`, readable by the collector (0644).
  private static func write(_ text: String, to path: String) throws {
    do {
      let file = try PartialFile(path: path, mode: 0o644)
      try Array(text.utf8).withUnsafeBytes { try DescriptorIO.writeAll(file.fileDescriptor, $0) }
      try file.commit()
    } catch {
      throw failure(path, "\(error)")
    }
  }

  private static func failure(_ path: String, _ reason: String) -> CellarError {
    .failed("cannot write the metrics file \(path): \(reason)")
  }
}

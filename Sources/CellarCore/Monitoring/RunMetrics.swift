// CellarCore: what one run reports to Prometheus (`--metrics-file`).
import Foundation

/// The measurements of one backup or drill, named for node_exporter's textfile collector.
///
/// Every series carries the label `profile`: the profile's name, else the sources backed up.
public struct RunMetrics: Sendable {
  /// One gauge: `cellar_COMMAND_NAME`.
  public struct Gauge: Sendable {
    /// The name after `cellar_COMMAND_`.
    public var name: String
    /// The `# HELP` text.
    public var help: String
    /// The value.
    public var value: Double

    /// A gauge.
    public init(_ name: String, _ value: Double, help: String) {
      self.name = name
      self.value = value
      self.help = help
    }
  }

  /// "backup" or "drill".
  public var command: String
  /// The `profile` label.
  public var profile: String
  /// When the run started.
  public var startedAt: Date
  /// How long it took.
  public var duration: TimeInterval
  /// The process's exit status (0: success).
  public var exitCode: Int32
  /// What the command measured (files, bytes, errors…).
  public var gauges: [Gauge]

  /// The measurements of a run.
  public init(
    command: String, profile: String, startedAt: Date, duration: TimeInterval, exitCode: Int32, gauges: [Gauge]
  ) {
    self.command = command
    self.profile = profile
    self.startedAt = startedAt
    self.duration = duration
    self.exitCode = exitCode
    self.gauges = gauges
  }

  /// Whether the run succeeded (exit 0).
  public var succeeded: Bool { exitCode == 0 }

  /// Every gauge of the run, those common to all commands first; `lastSuccess` is the time of
  /// the last successful run (this one's end when it succeeded, else the one already on file,
  /// else 0: never, so that an alert on its age fires from the first failed night on).
  func allGauges(lastSuccess: Double?) -> [Gauge] {
    let end = startedAt.timeIntervalSince1970 + duration
    var common = [
      Gauge("last_run_timestamp_seconds", end, help: "When the last \(command) ended, successful or not."),
      Gauge("success", succeeded ? 1 : 0, help: "Whether the last \(command) succeeded (exit 0)."),
      Gauge("exit_code", Double(exitCode), help: "The exit status of the last \(command)."),
      Gauge("duration_seconds", duration, help: "How long the last \(command) took."),
    ]
    common.append(
      Gauge(
        "last_success_timestamp_seconds", succeeded ? end : lastSuccess ?? 0,
        help: "When the last successful \(command) ended (0: never)."))
    return common + gauges
  }
}

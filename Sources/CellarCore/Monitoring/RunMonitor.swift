// CellarCore: what a scheduled run tells its monitors: a ping at start and end, a metrics file.
import Foundation

/// Reports one run to a healthchecks-style URL and a Prometheus metrics file.
///
/// Neither can fail the run: what cannot be delivered is a warning (`warn`).
public struct RunMonitor: Sendable {
  private let command: String
  private let profile: String
  private let ping: HealthPing?
  private let metricsFile: String?
  private let warn: @Sendable (String) -> Void
  private let startedAt = Date()

  /// A monitor of a `command` run for `profile` (the profile's name, else the sources).
  ///
  /// Throws a usage error for a `pingURL` that is not http(s).
  public init(
    command: String, profile: String, pingURL: String?, metricsFile: String?,
    warn: @escaping @Sendable (String) -> Void
  ) throws {
    self.command = command
    self.profile = profile
    if let pingURL {
      guard let ping = HealthPing(pingURL) else {
        throw CellarError.usage("--ping-url \(pingURL): give an http:// or https:// URL")
      }
      self.ping = ping
    } else {
      ping = nil
    }
    self.metricsFile = metricsFile
    self.warn = warn
  }

  /// Whether there is anything to report to.
  public var isActive: Bool { ping != nil || metricsFile != nil }

  /// Pings `URL/start`.
  public func started() async {
    guard let ping else { return }
    if let problem = await ping.send(.start) { warn("ping \(ping.address(of: .start)) not delivered: \(problem)") }
  }

  /// Records the run's end: the metrics file first (local, quick), then `URL` or `URL/fail`
  /// with `message` (the summary, or the error) as the body.
  public func finished(exitCode: Int32, message: String, gauges: [RunMetrics.Gauge]) async {
    if let metricsFile {
      let metrics = RunMetrics(
        command: command, profile: profile, startedAt: startedAt, duration: Date().timeIntervalSince(startedAt),
        exitCode: exitCode, gauges: gauges)
      do {
        try MetricsFile.record(metrics, at: metricsFile)
      } catch {
        warn("\(error)")
      }
    }
    guard let ping else { return }
    let signal: HealthPing.Signal = exitCode == 0 ? .success : .fail
    let body = "cellar \(command) \(profile): exit \(exitCode)\n\(message)\n"
    if let problem = await ping.send(signal, body: body) {
      warn("ping \(ping.address(of: signal)) not delivered: \(problem)")
    }
  }
}

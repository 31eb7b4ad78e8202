// CellarCLI: `--ping-url` and `--metrics-file`: telling monitors how a scheduled run went.
import ArgumentParser
import CellarCore

/// Where a run is reported: a healthchecks-style URL and a Prometheus textfile.
struct MonitoringOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Ping this URL (healthchecks.io style) at the start (URL/start) and the end (URL, or URL/fail with the error).",
      valueName: "url"))
  var pingURL: String?

  @Option(
    help: ArgumentHelp(
      "Record the run in this Prometheus text file (node_exporter's textfile collector), replaced atomically.",
      valueName: "file"), completion: .file())
  var metricsFile: String?

  /// Takes from `profile` what no flag gave.
  mutating func fill(from profile: Profile) {
    pingURL = pingURL ?? profile.string(.pingURL)
    metricsFile = metricsFile ?? profile.string(.metricsFile)
  }

  func validate() throws {
    if let pingURL, HealthPing(pingURL) == nil {
      throw ValidationError("--ping-url \(pingURL): give an http:// or https:// URL")
    }
  }

  /// The monitor of a `command` run labelled `label`, nil when nothing is to be reported.
  ///
  /// What cannot reach a monitor is said on standard error even with --quiet: a monitor that
  /// stays silent is one nobody knows is broken.
  func monitor(command: String, label: String) throws -> RunMonitor? {
    let monitor = try RunMonitor(
      command: command, profile: label, pingURL: pingURL, metricsFile: metricsFile,
      warn: { StandardError.print("cellar: warning: \($0)") })
    return monitor.isActive ? monitor : nil
  }
}

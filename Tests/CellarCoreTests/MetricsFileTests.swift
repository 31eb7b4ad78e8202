// CellarCoreTests: the Prometheus metrics file is read back by prometheus_client's own parser, and
// the healthchecks pings are received by a real HTTP server (ping_server.py).
import CellarTestSupport
import Foundation
import Synchronization
import Testing

@testable import CellarCore

/// One metric family as prometheus_client's parser reads it.
private struct Family: Decodable {
  struct Sample: Decodable {
    var name: String
    var labels: [String: String]
    var value: Double
  }

  var name: String
  var type: String
  var help: String
  var samples: [Sample]

  /// The value of the sample labelled `profile`.
  func value(_ profile: String) -> Double? {
    let found = samples.filter { $0.labels == ["profile": profile] }
    return found.count == 1 ? found[0].value : nil
  }
}

/// The families of the file at `path`, parsed by `prometheus_client.parser`, in file order.
private func families(at path: String) throws -> [Family] {
  let script = """
    import json, sys
    from prometheus_client.parser import text_string_to_metric_families
    text = open(sys.argv[1], encoding="utf-8").read()
    print(json.dumps([
        {"name": f.name, "type": f.type, "help": f.documentation,
         "samples": [{"name": s.name, "labels": s.labels, "value": s.value} for s in f.samples]}
        for f in text_string_to_metric_families(text)
    ]))
    """
  return try JSONDecoder().decode([Family].self, from: ChildProcess.output("python3", ["-c", script, path]))
}

/// The families of `path` by name; each name once, each a gauge with its help.
private func gauges(at path: String) throws -> [String: Family] {
  let list = try families(at: path)
  #expect(Set(list.map(\.name)).count == list.count, "each metric once: \(list.map(\.name))")
  for family in list {
    #expect(family.type == "gauge", "\(family.name)")
    #expect(!family.help.isEmpty, "\(family.name) has a HELP line")
    let series = family.samples.map { $0.labels.sorted { $0.key < $1.key }.map { "\($0)=\($1)" } }
    #expect(Set(series.map { $0.joined(separator: ",") }).count == series.count, "\(family.name): each series once")
  }
  return Dictionary(list.map { ($0.name, $0) }) { first, _ in first }
}

/// A `command` run of `profile` that started at `start` (seconds since 1970).
private func run(
  _ profile: String, command: String = "backup", at start: TimeInterval, took duration: TimeInterval = 10,
  exit: Int32, files: Double = 120, bytes: Double = 5_000_000
) -> RunMetrics {
  RunMetrics(
    command: command, profile: profile, startedAt: Date(timeIntervalSince1970: start), duration: duration,
    exitCode: exit,
    gauges: [
      .init("files", files, help: "Files archived by the last \(command)."),
      .init("bytes", bytes, help: "Bytes archived by the last \(command)."),
    ])
}

@Suite("MetricsFile: read back by prometheus_client")
struct MetricsFileTests {
  @Test("a success, then a failure: success 0, the last success time kept, the run's gauges given")
  func successThenFailure() throws {
    try withScratchDirectory { folder in
      let path = folder.appendingPathComponent("cellar.prom").path
      try MetricsFile.record(run("nightly", at: 1_700_000_000, took: 12.5, exit: 0), at: path)
      var file = try gauges(at: path)
      #expect(file["cellar_backup_success"]?.value("nightly") == 1)
      #expect(file["cellar_backup_exit_code"]?.value("nightly") == 0)
      #expect(file["cellar_backup_last_run_timestamp_seconds"]?.value("nightly") == 1_700_000_012.5)
      #expect(file["cellar_backup_last_success_timestamp_seconds"]?.value("nightly") == 1_700_000_012.5)
      #expect(file["cellar_backup_duration_seconds"]?.value("nightly") == 12.5)
      #expect(file["cellar_backup_files"]?.value("nightly") == 120)
      #expect(file["cellar_backup_bytes"]?.value("nightly") == 5_000_000)

      try MetricsFile.record(run("nightly", at: 1_700_086_400, took: 3, exit: 3, files: 7, bytes: 1024), at: path)
      file = try gauges(at: path)
      #expect(
        Set(file.keys)
          == Set(
            [
              "last_run_timestamp_seconds", "success", "exit_code", "duration_seconds",
              "last_success_timestamp_seconds", "files", "bytes",
            ].map { "cellar_backup_" + $0 }))
      #expect(file["cellar_backup_success"]?.value("nightly") == 0)
      #expect(file["cellar_backup_exit_code"]?.value("nightly") == 3)
      #expect(file["cellar_backup_last_run_timestamp_seconds"]?.value("nightly") == 1_700_086_403)
      #expect(
        file["cellar_backup_last_success_timestamp_seconds"]?.value("nightly") == 1_700_000_012.5,
        "the failure keeps the time of the last success")
      #expect(file["cellar_backup_duration_seconds"]?.value("nightly") == 3)
      #expect(file["cellar_backup_files"]?.value("nightly") == 7)
      #expect(file["cellar_backup_bytes"]?.value("nightly") == 1024)
      for family in file.values { #expect(family.samples.count == 1, "\(family.name)") }

      // A second failure still keeps it; a success moves it.
      try MetricsFile.record(run("nightly", at: 1_700_090_000, took: 1, exit: 1), at: path)
      file = try gauges(at: path)
      #expect(file["cellar_backup_last_success_timestamp_seconds"]?.value("nightly") == 1_700_000_012.5)
      try MetricsFile.record(run("nightly", at: 1_700_100_000, took: 2, exit: 0), at: path)
      file = try gauges(at: path)
      #expect(file["cellar_backup_last_success_timestamp_seconds"]?.value("nightly") == 1_700_100_002)
      #expect(file["cellar_backup_success"]?.value("nightly") == 1)
    }
  }

  @Test("a failure with no success before it has a last success time of 0, so that an alert on its age fires")
  func failureFirst() throws {
    try withScratchDirectory { folder in
      let path = folder.appendingPathComponent("cellar.prom").path
      try MetricsFile.record(run("nightly", at: 1_700_000_000, exit: 1), at: path)
      let file = try gauges(at: path)
      #expect(file["cellar_backup_success"]?.value("nightly") == 0)
      #expect(file["cellar_backup_last_success_timestamp_seconds"]?.value("nightly") == 0)
    }
  }

  @Test("profiles share one file without losing each other's series; label values are escaped")
  func profilesShareFile() throws {
    try withScratchDirectory { folder in
      let path = folder.appendingPathComponent("cellar.prom").path
      let odd = "odd \"quoted\" back\\slash\nnew line"
      try MetricsFile.record(run("nightly", at: 1_700_000_000, exit: 0, files: 1), at: path)
      try MetricsFile.record(run("weekly", at: 1_700_000_100, exit: 0, files: 2), at: path)
      try MetricsFile.record(run(odd, at: 1_700_000_200, exit: 0, files: 3), at: path)
      try MetricsFile.record(run("nightly", at: 1_700_000_300, exit: 1, files: 4), at: path)
      // The odd profile again: its own series, read back from the file, are replaced, not doubled.
      try MetricsFile.record(run(odd, at: 1_700_000_400, exit: 2, files: 5), at: path)

      let file = try gauges(at: path)
      let success = try #require(file["cellar_backup_success"])
      #expect(Set(success.samples.map { $0.labels["profile"] ?? "" }) == ["nightly", "weekly", odd])
      #expect(success.samples.count == 3)
      #expect(success.value("nightly") == 0)
      #expect(success.value("weekly") == 1)
      #expect(success.value(odd) == 0)
      #expect(file["cellar_backup_files"]?.value("nightly") == 4)
      #expect(file["cellar_backup_files"]?.value("weekly") == 2)
      #expect(file["cellar_backup_files"]?.value(odd) == 5)
      #expect(file["cellar_backup_exit_code"]?.value(odd) == 2)
      let lastSuccess = file["cellar_backup_last_success_timestamp_seconds"]
      #expect(lastSuccess?.value("nightly") == 1_700_000_010)
      #expect(lastSuccess?.value("weekly") == 1_700_000_110)
      #expect(lastSuccess?.value(odd) == 1_700_000_210, "the escaped label was read back as the same profile")
    }
  }

  @Test("a drill in the same file keeps the backup's series, and the other way round")
  func drillAndBackup() throws {
    try withScratchDirectory { folder in
      let path = folder.appendingPathComponent("cellar.prom").path
      try MetricsFile.record(run("nightly", at: 1_700_000_000, exit: 0, files: 10), at: path)
      try MetricsFile.record(run("nightly", command: "drill", at: 1_700_000_100, exit: 0, files: 4), at: path)
      var file = try gauges(at: path)
      #expect(file["cellar_backup_success"]?.value("nightly") == 1)
      #expect(file["cellar_backup_files"]?.value("nightly") == 10)
      #expect(file["cellar_drill_success"]?.value("nightly") == 1)
      #expect(file["cellar_drill_files"]?.value("nightly") == 4)
      #expect(file["cellar_drill_success"]?.help.contains("drill") == true)

      try MetricsFile.record(run("nightly", at: 1_700_000_200, exit: 1, files: 0), at: path)
      file = try gauges(at: path)
      #expect(file["cellar_backup_success"]?.value("nightly") == 0)
      #expect(file["cellar_drill_success"]?.value("nightly") == 1)
      #expect(file["cellar_drill_files"]?.value("nightly") == 4)
      #expect(file["cellar_drill_last_success_timestamp_seconds"]?.value("nightly") == 1_700_000_110)
    }
  }

  @Test("the file is replaced whole: no temporary file left, mode 0644")
  func atomicWrite() throws {
    try withScratchDirectory { folder in
      let path = folder.appendingPathComponent("cellar.prom").path
      for index in 0..<3 {
        try MetricsFile.record(run("p\(index)", at: 1_700_000_000, exit: 0), at: path)
      }
      let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
      #expect(names == ["cellar.prom", "cellar.prom.lock"], "no temporary file left: \(names)")
      let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
      #expect(mode?.intValue == 0o644)
      #expect(try String(contentsOfFile: path, encoding: .utf8).hasSuffix("\n"))
    }
  }

  @Test("a metrics file in a missing folder throws a CellarError; RunMonitor only warns")
  func missingFolder() async throws {
    try await withScratchDirectory { folder in
      let path = folder.appendingPathComponent("missing/cellar.prom").path
      let error = #expect(throws: CellarError.self) {
        try MetricsFile.record(run("nightly", at: 1_700_000_000, exit: 0), at: path)
      }
      #expect(error?.description.contains("cannot write the metrics file \(path)") == true)

      let warnings = Warnings()
      let monitor = try RunMonitor(
        command: "backup", profile: "nightly", pingURL: nil, metricsFile: path, warn: { warnings.add($0) })
      #expect(monitor.isActive)
      await monitor.finished(exitCode: 0, message: "done", gauges: [])
      #expect(warnings.all.count == 1)
      #expect(warnings.all.first?.contains("cannot write the metrics file") == true)
      #expect(!FileManager.default.fileExists(atPath: path))
    }
  }

  @Test("RunMonitor records the run and the gauges it is given")
  func monitorRecords() async throws {
    try await withScratchDirectory { folder in
      let path = folder.appendingPathComponent("cellar.prom").path
      let warnings = Warnings()
      let before = Date().timeIntervalSince1970
      let monitor = try RunMonitor(
        command: "backup", profile: "nightly", pingURL: nil, metricsFile: path, warn: { warnings.add($0) })
      await monitor.started()
      await monitor.finished(exitCode: 0, message: "done", gauges: [.init("files", 42, help: "Files archived.")])
      #expect(warnings.all.isEmpty)
      let file = try gauges(at: path)
      #expect(file["cellar_backup_files"]?.value("nightly") == 42)
      #expect(file["cellar_backup_success"]?.value("nightly") == 1)
      let last = try #require(file["cellar_backup_last_success_timestamp_seconds"]?.value("nightly"))
      #expect(last >= before.rounded(.down) && last <= Date().timeIntervalSince1970 + 1)
    }
  }
}

/// The warnings a `RunMonitor` gave.
private final class Warnings: Sendable {
  private let list = Mutex<[String]>([])

  var all: [String] { list.withLock { $0 } }

  func add(_ warning: String) { list.withLock { $0.append(warning) } }
}

/// ping_server.py, with the requests it received read from its log.
private struct PingServer {
  static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("CellarTestSupport/ping_server.py").path

  struct Request: Decodable {
    var method: String
    var path: String
    var query: String
    var body: String

    /// The value of the query parameter `name`.
    func parameter(_ name: String) -> String? {
      URLComponents(string: "http://x/?" + query)?.queryItems?.first { $0.name == name }?.value
    }
  }

  let server: ScriptServer
  let log: String

  init(_ folder: URL, arguments: [String] = []) throws {
    log = folder.appendingPathComponent("requests.jsonl").path
    server = try ScriptServer(script: Self.script, arguments: ["--log", log] + arguments)
  }

  var base: String { "http://127.0.0.1:\(server.port)" }

  var requests: [Request] {
    get throws {
      guard let text = try? String(contentsOfFile: log, encoding: .utf8) else { return [] }
      return try text.split(separator: "\n").map { try JSONDecoder().decode(Request.self, from: Data($0.utf8)) }
    }
  }
}

@Suite("HealthPing: pings received by a real server")
struct HealthPingTests {
  @Test("a successful run pings URL/start then URL, with the same rid")
  func successfulRun() async throws {
    try await withScratchDirectory { folder in
      let server = try PingServer(folder)
      let warnings = Warnings()
      let monitor = try RunMonitor(
        command: "backup", profile: "nightly", pingURL: server.base + "/ping/abc", metricsFile: nil,
        warn: { warnings.add($0) })
      await monitor.started()
      await monitor.finished(exitCode: 0, message: "120 files, 5 MB", gauges: [])
      #expect(warnings.all.isEmpty)
      let requests = try server.requests
      try #require(requests.count == 2, "\(requests)")
      #expect(requests.map(\.method) == ["POST", "POST"])
      #expect(requests.map(\.path) == ["/ping/abc/start", "/ping/abc"])
      let rid = try #require(requests[0].parameter("rid"))
      #expect(!rid.isEmpty)
      #expect(requests[1].parameter("rid") == rid)
      #expect(requests[1].body.contains("cellar backup nightly: exit 0"))
      #expect(requests[1].body.contains("120 files, 5 MB"))
    }
  }

  @Test("a failed run pings URL/fail with the message as the body")
  func failedRun() async throws {
    try await withScratchDirectory { folder in
      let server = try PingServer(folder)
      let warnings = Warnings()
      let monitor = try RunMonitor(
        command: "backup", profile: "nightly", pingURL: server.base + "/ping/abc/", metricsFile: nil,
        warn: { warnings.add($0) })
      await monitor.started()
      await monitor.finished(exitCode: 1, message: "cannot reach https://cells.example.com: refused", gauges: [])
      #expect(warnings.all.isEmpty)
      let requests = try server.requests
      try #require(requests.count == 2, "\(requests)")
      #expect(requests.map(\.path) == ["/ping/abc/start", "/ping/abc/fail"])
      #expect(requests[0].parameter("rid") == requests[1].parameter("rid"))
      #expect(requests[1].body.contains("exit 1"))
      #expect(requests[1].body.contains("cannot reach https://cells.example.com: refused"))
    }
  }

  @Test("a query string in the URL is kept, the rid added after it")
  func queryKept() async throws {
    try await withScratchDirectory { folder in
      let server = try PingServer(folder)
      let ping = try #require(HealthPing(server.base + "/ping/abc?create=1"))
      #expect(await ping.send(.start) == nil)
      #expect(await ping.send(.success) == nil)
      let requests = try server.requests
      try #require(requests.count == 2, "\(requests)")
      #expect(requests[0].path == "/ping/abc/start")
      #expect(requests[1].path == "/ping/abc")
      let rid = try #require(requests[0].parameter("rid"))
      #expect(requests[0].query == "create=1&rid=\(rid)")
      #expect(requests[1].query == "create=1&rid=\(rid)")
    }
  }

  @Test("a server answering 500 is tried again, then reported as a warning")
  func serverError() async throws {
    try await withScratchDirectory { folder in
      let server = try PingServer(folder, arguments: ["--fail", "/ping/abc/fail"])
      let ping = try #require(HealthPing(server.base + "/ping/abc"))
      #expect(await ping.send(.fail, body: "boom") == "HTTP 500")
      #expect(try server.requests.count == 3, "three attempts")

      let warnings = Warnings()
      let monitor = try RunMonitor(
        command: "drill", profile: "nightly", pingURL: server.base + "/ping/abc", metricsFile: nil,
        warn: { warnings.add($0) })
      await monitor.finished(exitCode: 2, message: "mismatch", gauges: [])
      #expect(warnings.all.count == 1)
      #expect(warnings.all.first?.contains("not delivered: HTTP 500") == true)
    }
  }

  @Test("a server that never answers: the ping gives up near its deadline")
  func slowServer() async throws {
    try await withScratchDirectory { folder in
      let server = try PingServer(folder, arguments: ["--sleep", "/ping"])
      var ping = try #require(HealthPing(server.base + "/ping/abc"))
      ping.deadline = .seconds(2)
      let clock = ContinuousClock()
      let start = clock.now
      let problem = await ping.send(.start)
      let elapsed = clock.now - start
      #expect(problem == "no answer within 2 s")
      // The server would answer after 600 s: well before that is the bound (loose: tests share
      // two cores, and a loaded run delays resumptions by tens of seconds, 27 s seen).
      #expect(elapsed < .seconds(120), "\(elapsed)")
    }
  }

  @Test("nothing listening: a problem, quickly, never a throw")
  func refused() async throws {
    // Port 1 on the loopback: nothing listens there on a test machine, so it is refused.
    let ping = try #require(HealthPing("http://127.0.0.1:1/ping/abc"))
    let clock = ContinuousClock()
    let start = clock.now
    let problem = await ping.send(.success, body: "done")
    #expect(problem != nil)
    // Within its 10 s deadline, with room for a loaded test run (28 s seen).
    #expect(clock.now - start < .seconds(120))
  }

  @Test("only http and https URLs are pinged")
  func schemes() throws {
    #expect(HealthPing("ftp://x") == nil)
    #expect(HealthPing("not a url") == nil)
    #expect(HealthPing("http://") == nil)
    #expect(HealthPing("https://hc-ping.com/abc") != nil)
    #expect(HealthPing("HTTP://hc.example.com/abc") != nil)
    #expect(throws: CellarError.self) {
      try RunMonitor(command: "backup", profile: "p", pingURL: "ftp://x", metricsFile: nil, warn: { _ in })
    }
    let monitor = try RunMonitor(command: "backup", profile: "p", pingURL: nil, metricsFile: nil, warn: { _ in })
    #expect(!monitor.isActive)
  }

  @Test("the addresses of the three signals: a trailing slash is not doubled")
  func addresses() throws {
    let ping = try #require(HealthPing("https://hc.example.com/ping/uuid/"))
    let start = try #require(URLComponents(string: ping.address(of: .start)))
    #expect(start.host == "hc.example.com")
    #expect(start.path == "/ping/uuid/start")
    #expect(URLComponents(string: ping.address(of: .success))?.path == "/ping/uuid")
    #expect(URLComponents(string: ping.address(of: .fail))?.path == "/ping/uuid/fail")
    let rids = [HealthPing.Signal.start, .success, .fail].map {
      URLComponents(string: ping.address(of: $0))?.queryItems?.first { $0.name == "rid" }?.value
    }
    #expect(rids[0] != nil && Set(rids).count == 1)
  }
}

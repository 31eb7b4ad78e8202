import CellarCore
import Foundation
import Testing

@testable import CellarCLI

@Suite("progress renderers")
struct ReporterTests {
  @Test("the bar shows files, bytes, rate, and an ETA once the listing is complete")
  func bar() {
    var snapshot = ProgressSnapshot()
    snapshot.files = 10
    snapshot.bytes = 10 << 20
    snapshot.elapsed = 2
    #expect(HumanReporter.bar(snapshot) == "10 files  10.0 MiB  5.0 MiB/s")
    snapshot.listingDone = true
    snapshot.filesSeen = 20
    snapshot.bytesSeen = 20 << 20
    snapshot.retries = 2
    #expect(HumanReporter.bar(snapshot) == "10/20 files  10.0 MiB/20.0 MiB  5.0 MiB/s  ETA 0:02  2 retries")
  }

  @Test("before the walk has counted, the size the server gave the sources is the total and gives an ETA")
  func expectedTotal() {
    var snapshot = ProgressSnapshot()
    snapshot.files = 10
    snapshot.bytes = 10 << 20
    snapshot.elapsed = 2
    snapshot.bytesExpected = 40 << 20
    #expect(HumanReporter.bar(snapshot) == "10 files  10.0 MiB/40.0 MiB  5.0 MiB/s  ETA 0:06")
    snapshot.bytesExpected = 5 << 20  // the server under-counted: no total rather than a wrong one
    #expect(HumanReporter.bar(snapshot) == "10 files  10.0 MiB  5.0 MiB/s")
  }

  @Test("the bar never wraps: the last parts go first on a narrow terminal, then the rest is cut")
  func narrowTerminal() {
    let bar = "10/20 files  10.0 MiB/20.0 MiB  5.0 MiB/s  ETA 0:02  2 retries"
    #expect(HumanReporter.fit(bar, width: 200) == bar)
    #expect(HumanReporter.fit(bar, width: 50) == "10/20 files  10.0 MiB/20.0 MiB  5.0 MiB/s")
    #expect(HumanReporter.fit(bar, width: 12) == "10/20 files")
    #expect(HumanReporter.fit(bar, width: 8) == "10/20 f")
  }

  @Test("the summary line says what was done and where it went")
  func summary() {
    var snapshot = ProgressSnapshot()
    snapshot.folders = 2
    snapshot.files = 3
    snapshot.bytes = 1536
    snapshot.errors = 1
    snapshot.elapsed = 3725
    #expect(
      HumanReporter.summary(snapshot, operation: "backup", output: "n.tar")
        == "backup finished with 1 errors: 2 folders, 3 files, 1.5 KiB in 1:02:05 → n.tar")
  }

  @Test("--json writes one parsable object per event with the documented fields")
  func jsonLines() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("events-\(UUID()).jsonl").path
    #expect(FileManager.default.createFile(atPath: path, contents: nil))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let handle = try #require(FileHandle(forWritingAtPath: path))
    let reporter = JSONLinesReporter(output: handle)
    reporter.report(.start(operation: .backup, sources: ["ws"], destination: "a.tar"))
    reporter.report(.node(NodeEvent(path: "ws/a b.txt", kind: .file, size: 3, action: .archived, movedFrom: "ws/old")))
    reporter.report(.warning(path: nil, message: "retrying"))
    reporter.report(.error(path: "ws/x", message: "denied"))
    reporter.report(.summary(ProgressSnapshot(), output: "a.tar"))
    reporter.report(.error(path: nil, message: "the server went away"))
    try handle.close()
    let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
    let events = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    #expect(events.map { $0["event"] as? String } == ["start", "node", "warning", "error", "summary", "error"])
    #expect(events[3]["path"] as? String == "ws/x")
    #expect(events[5]["message"] as? String == "the server went away")
    #expect(events[5]["path"] == nil, "the error that ends a run concerns no node")
    #expect(events[1]["path"] as? String == "ws/a b.txt")
    #expect(events[1]["size"] as? Int == 3)
    #expect(events[1]["type"] as? String == "LEAF")
    #expect(events[1]["action"] as? String == "archived")
    #expect(events[1]["movedFrom"] as? String == "ws/old")
    #expect(events[4]["files"] as? Int == 0)
    #expect(events[4]["filesSeen"] as? Int == 0)
    #expect(events[4]["output"] as? String == "a.tar")
  }
}

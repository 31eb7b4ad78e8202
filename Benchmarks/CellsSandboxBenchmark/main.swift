// CellsSandboxBenchmark: how many small S3 GETs per second an in-process sandbox serves over
// keep-alive connections on loopback. A measurement, not a test:
//   swift run -c release CellsSandboxBenchmark [seconds] [concurrency]
import CellsSandbox
import Foundation
import HTTPKit
import S3Kit
import Synchronization

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let seconds = arguments.first ?? 5
let concurrency = arguments.dropFirst().first ?? 8
let files = 200

let seed = Seed(
  users: [User(login: "admin", password: "admin", isAdmin: true)],
  entries: (0..<files).map { .file("pydiods1/bench/f\($0).bin", .generated(size: 4096)) })
let sandbox = try await Sandbox.start(seed: seed)
let client = try HTTPClient()
let signer = SigV4Signer(accessKey: sandbox.token(for: "admin"), secretKey: "gatewaysecret")
let base = sandbox.baseURL.absoluteString
let deadline = ContinuousClock.now + .seconds(seconds)
let failures = Atomic<Int>(0)

let start = ContinuousClock.now
let total = try await withThrowingTaskGroup(of: Int.self) { group in
  for worker in 0..<concurrency {
    group.addTask {
      var count = 0
      var index = worker
      while ContinuousClock.now < deadline {
        let url = base + S3Path.target(bucket: "io", key: "common-files/bench/f\(index % files).bin")
        let signed = try signer.sign(method: "GET", url: URL(string: url)!, payload: .emptyBody, date: Date())
        var headers = HTTPHeaders()
        for field in signed { headers.add(field.name, field.value) }
        let response = try await client.execute(HTTPRequest(url: url, headers: headers))
        let body = try await response.body.collect(upTo: 1 << 20)
        if response.status != 200 || body.count != 4096 { failures.add(1, ordering: .relaxed) }
        count += 1
        index += concurrency
      }
      return count
    }
  }
  var sum = 0
  for try await count in group { sum += count }
  return sum
}
let elapsed = ContinuousClock.now - start
let rate = Double(total) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
print(
  "\(total) GETs of 4 KiB in \(elapsed), \(concurrency) concurrent: \(Int(rate)) requests/s, \(failures.load(ordering: .relaxed)) failures"
)
await sandbox.stop()
client.shutdown()

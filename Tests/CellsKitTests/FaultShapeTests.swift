// CellsKitTests: every request kind of the REST and S3 clients survives every way the sandbox can
// fail it, aimed at that one operation, with the data on the server exactly what was asked for.
import CellsSandbox
import Foundation
import HTTPKit
import HashKit
import S3Kit
import Testing

@testable import CellsKit

// One case at a time: seventy sandboxes at once on two cores make every answer late, which is
// not the fault under test.
@Suite("Clients under every fault shape, aimed at one operation", .serialized)
struct FaultShapeTests {
  /// An operation of the clients, run against a prepared sandbox and checked with faults off.
  enum Scenario: String, CaseIterable, CustomTestStringConvertible {
    case listObjects = "ListObjectsV2"
    case headObject = "HeadObject"
    case getObject = "GetObject"
    case putObject = "PutObject"
    case createMultipart = "CreateMultipartUpload"
    case uploadPart = "UploadPart"
    case completeMultipart = "CompleteMultipartUpload"
    case listFolder = "tree/stats"
    case createFolders = "tree/create"
    case updateMeta = "user-meta/update"

    var testDescription: String { rawValue }
  }

  static let cases: [(Scenario, FaultShape)] = Scenario.allCases.flatMap { scenario in
    FaultShape.failures.map { (scenario, $0) }
  }

  @Test("half the requests of the operation fail in one shape; the operation's result is exact", arguments: cases)
  func survives(_ scenario: Scenario, _ shape: FaultShape) async throws {
    try await withSandbox(seed: .minimal) { sandbox in
      let retry = RetryPolicy(maxAttempts: 12, baseDelay: .milliseconds(5), maxDelay: .milliseconds(40))
      // Stalls outlast the idle timeout, which leaves room for a machine busy with the rest of
      // the suite (this sandbox serves from the same two cores as every other test).
      let clients = try await SandboxClients(sandbox, retry: retry, idleTimeout: .seconds(5))
      let prepared = try await Self.prepare(scenario, clients)
      var faults = FaultSettings()
      faults.failRate = 0.5
      faults.shapes = [shape]
      faults.operations = [scenario.rawValue]
      faults.stallSeconds = 6
      faults.seed = UInt64(
        Scenario.allCases.firstIndex(of: scenario)! * 31 + FaultShape.allCases.firstIndex(of: shape)!)
      sandbox.setFaults(faults)
      let outcome = try await Self.run(scenario, clients, prepared)
      sandbox.setFaults(FaultSettings())
      try await Self.check(scenario, clients, prepared, outcome)
    }
  }

  // MARK: - The scenarios

  private static let folder = "common-files/chaos"
  private static let bytes = (0..<3_000_001).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 9) }
  private static let multipartSize = 25 << 20

  private static func prepare(_ scenario: Scenario, _ clients: SandboxClients) async throws -> [String] {
    switch scenario {
    case .listObjects, .listFolder:
      let keys = (0..<40).map { "\(folder)/file-\($0).txt" }
      for key in keys { try await clients.s3.put(key) { .bytes(Array(key.utf8)) } }
      return keys
    case .headObject, .getObject:
      try await clients.s3.put("\(folder)/object.bin") { .bytes(bytes) }
      return ["\(folder)/object.bin"]
    case .updateMeta:
      try await clients.s3.put("\(folder)/tagged.txt") { .bytes([1]) }
      return ["\(folder)/tagged.txt"]
    case .putObject, .createMultipart, .uploadPart, .completeMultipart, .createFolders:
      return []
    }
  }

  /// What the scenario saw, to check against the server afterwards.
  private static func run(_ scenario: Scenario, _ clients: SandboxClients, _ prepared: [String]) async throws
    -> [String]
  {
    switch scenario {
    case .listObjects:
      return try await clients.s3.list(prefix: folder + "/").objects.map(\.key).filter { !$0.hasSuffix("/.pydio") }
    case .listFolder:
      var paths: [String] = []
      try await clients.rest.listFolder(folder, pageSize: 7) { page in paths += page.map(\.path) }
      return paths
    case .headObject:
      return [String(try await clients.s3.head(prepared[0]).size)]
    case .getObject:
      var received: [UInt8] = []
      try await clients.s3.get(prepared[0]) { received += $0 }
      return [try SHA256.hash(received).hex]
    case .putObject:
      for index in 0..<6 {
        let body = Array(bytes.prefix(100_000 * (index + 1)))
        try await clients.s3.put("\(folder)/put-\(index).bin") { .bytes(body) }
      }
      return []
    case .createMultipart, .uploadPart, .completeMultipart:
      let partSize = MultipartUpload.partSize(for: Int64(multipartSize), preferred: 10 << 20)
      var produced = 0
      try await MultipartUpload(client: clients.s3, concurrency: 2).upload(
        "\(folder)/big.bin", size: Int64(multipartSize), partSize: partSize
      ) {
        let count = min(partSize, multipartSize - produced)
        defer { produced += count }
        return Array(multipartData[produced..<(produced + count)])
      }
      return []
    case .createFolders:
      try await clients.rest.createFolders((0..<12).map { "\(folder)/d\($0)/e" }, batchSize: 5)
      return []
    case .updateMeta:
      let uuid = try #require(try await clients.rest.stat(prepared[0])).uuid
      try await clients.rest.updateUserMeta([
        UserMeta(nodeUuid: uuid, namespace: "usermeta-tags", jsonValue: #""chaos""#)
      ])
      return []
    }
  }

  private static func check(
    _ scenario: Scenario, _ clients: SandboxClients, _ prepared: [String], _ outcome: [String]
  ) async throws {
    switch scenario {
    case .listObjects, .listFolder:
      #expect(outcome.sorted() == prepared.sorted())
    case .headObject:
      #expect(outcome == [String(bytes.count)])
    case .getObject:
      #expect(outcome == [try SHA256.hash(bytes).hex])
    case .putObject:
      for index in 0..<6 {
        var received: [UInt8] = []
        try await clients.s3.get("\(folder)/put-\(index).bin") { received += $0 }
        #expect(received == Array(bytes.prefix(100_000 * (index + 1))), "put-\(index)")
      }
    case .createMultipart, .uploadPart, .completeMultipart:
      let node = try #require(try await clients.rest.stat("\(folder)/big.bin"))
      #expect(node.size == Int64(multipartSize))
      #expect(node.contentHash == multipartHash)
    case .createFolders:
      for index in 0..<12 {
        #expect(try await clients.rest.stat("\(folder)/d\(index)/e")?.type == .collection, "d\(index)/e")
      }
    case .updateMeta:
      let node = try #require(try await clients.rest.stat(prepared[0]))
      #expect(node.metaStore["usermeta-tags"] == #""chaos""#)
    }
  }

  /// The multipart object and its Cells hash, made once: generating 25 MiB per case would hold
  /// the test process's two cooperative threads, and with them every sandbox's answers.
  private static let multipartData = (0..<multipartSize).map { UInt8(truncatingIfNeeded: $0 % 251) }
  private static let multipartHash: String = {
    let hash = try! CellsContentHash()
    try! hash.update(multipartData)
    return try! hash.finalize().hex
  }()
}

import CellsSandbox
import Foundation
import HTTPKit
import HashKit
import S3Kit
import Synchronization
import Testing

@testable import CellsKit

@Suite("S3Client through the sandbox's gateway")
struct CellsS3Tests {
  @Test("every name of the demo seed reads back with its hash, and round-trips through PUT and GET")
  func demoNames() async throws {
    try await withSandbox(seed: .demo) { sandbox in
      let clients = try await SandboxClients(sandbox)
      var files: [TreeNode] = []
      try await TreeWalker(client: clients.rest, s3: clients.s3).walk("common-files") { node in
        if node.type == .leaf, !node.path.hasPrefix("common-files/Many/") { files.append(node) }
      }
      #expect(files.count >= 8)
      for file in files {
        let hash = try CellsContentHash()
        var size: Int64 = 0
        try await clients.s3.get(file.path) { chunk in
          try hash.update(chunk)
          size += Int64(chunk.count)
        }
        #expect(size == file.size, "\(file.path)")
        #expect(file.contentHash == (try hash.finalize()).hex, "\(file.path)")

        let copy = "common-files/copies/" + file.path.dropFirst("common-files/".count)
        let bytes = Array("copy of \(file.path)".utf8)
        try await clients.s3.put(copy, contentType: "text/plain") { .bytes(bytes) }
        var received: [UInt8] = []
        try await clients.s3.get(copy) { received += $0 }
        #expect(received == bytes, "\(copy)")
        #expect(try await clients.rest.stat(copy)?.size == Int64(bytes.count))
      }
    }
  }

  @Test("a 45 MiB multipart upload in 10 MiB multiples gets the Cells hash computed locally")
  func multipartHash() async throws {
    try await withSandbox(seed: .minimal) { sandbox in
      let clients = try await SandboxClients(sandbox)
      let size = 45 << 20
      let partSize = MultipartUpload.partSize(for: Int64(size), preferred: 20 << 20)
      let local = try CellsContentHash()
      var produced = 0
      try await MultipartUpload(client: clients.s3, concurrency: 3).upload(
        "common-files/big.bin", size: Int64(size), partSize: partSize
      ) {
        let count = min(partSize, size - produced)
        let part = (0..<count).map { UInt8(truncatingIfNeeded: (produced + $0) % 253) }
        produced += count
        try local.update(part)
        return part
      }
      let node = try #require(try await clients.rest.stat("common-files/big.bin"))
      #expect(node.size == Int64(size))
      #expect(node.contentHash == (try local.finalize()).hex)
    }
  }

  @Test("calls succeed under 20% injected 5xx answers, each retry announced")
  func retriesUnderFailures() async throws {
    var options = SandboxOptions()
    options.faults.failRate = 0.2
    options.faults.seed = 7
    try await withSandbox(seed: .minimal, options: options) { sandbox in
      let retries = Mutex(0)
      let policy = RetryPolicy(maxAttempts: 8, baseDelay: .milliseconds(2), maxDelay: .milliseconds(20)) { _ in
        retries.withLock { $0 += 1 }
      }
      let clients = try await SandboxClients(sandbox, retry: policy)
      for index in 0..<25 {
        #expect(try await clients.rest.stat("common-files/welcome.txt") != nil)
        try await clients.s3.put("common-files/r\(index).txt") { .bytes([1, 2, 3]) }
        var received: [UInt8] = []
        try await clients.s3.get("common-files/r\(index).txt") { received += $0 }
        #expect(received == [1, 2, 3])
      }
      #expect(retries.withLock { $0 } > 0)
    }
  }

  @Test("a GET cut mid-body resumes with Range and delivers every byte once")
  func resumeAfterCut() async throws {
    try await withSandbox(seed: .minimal) { sandbox in
      let clients = try await SandboxClients(sandbox)
      let bytes = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 % 241) }
      try await clients.s3.put("common-files/cut.bin") { .bytes(bytes) }
      var faults = FaultSettings()
      faults.cutRate = 1.0
      sandbox.setFaults(faults)
      var received: [UInt8] = []
      try await clients.s3.get("common-files/cut.bin") { chunk in
        // The first GET is cut at half its bytes; the resumed one is served whole.
        if received.isEmpty { sandbox.setFaults(FaultSettings()) }
        received += chunk
      }
      #expect(received.count == bytes.count)
      #expect(received == bytes)
    }
  }
}

import Foundation
import Testing

@testable import HTTPKit

@Suite("HTTPClient request bodies")
struct HTTPUploadTests {
  let server: TestHTTPServer
  let client: HTTPClient

  init() throws {
    server = try TestHTTPServer.shared.get()
    client = try HTTPClient()
  }

  @Test("a buffered PUT body is sent whole", arguments: [0, 5, 3_000_000])
  func bufferedPut(count: Int) async throws {
    let bytes = expectedPattern(count: count, offset: 7)
    let request = HTTPRequest(method: "PUT", url: server.url("/echo"), body: .bytes(bytes))
    let response = try await client.execute(request)
    #expect(response.status == 200)
    #expect(response.headers["x-method"] == "PUT")
    #expect(try await response.body.collect(upTo: 4_000_000) == bytes)
  }

  @Test("a POST keeps the caller's content type")
  func postJSON() async throws {
    let json = Array(#"{"NodePaths":["common-files/a b"]}"#.utf8)
    let request = HTTPRequest(
      method: "POST", url: server.url("/echo"), headers: ["Content-Type": "application/json"],
      body: .bytes(json))
    let response = try await client.execute(request)
    #expect(response.headers["x-method"] == "POST")
    #expect(response.headers["x-content-type"] == "application/json")
    #expect(try await response.body.collect(upTo: 1000) == json)
  }

  @Test("a streamed body of many chunks is sent in order")
  func streamedPut() async throws {
    let chunkSize = 64 * 1024
    let chunkCount = 128
    let chunks = AsyncChunks(count: chunkCount, size: chunkSize)
    let request = HTTPRequest(
      method: "PUT", url: server.url("/echo"),
      body: .stream(length: Int64(chunkSize * chunkCount), chunks: chunks))
    let response = try await client.execute(request)
    let echoed = try await response.body.collect(upTo: chunkSize * chunkCount)
    #expect(echoed == expectedPattern(count: chunkSize * chunkCount))
  }

  @Test("a streamed body shorter or longer than announced fails the request", arguments: [-1, 1])
  func lengthMismatch(delta: Int64) async throws {
    let chunks = AsyncChunks(count: 4, size: 1000)
    let request = HTTPRequest(
      method: "PUT", url: server.url("/echo"), body: .stream(length: 4000 + delta, chunks: chunks))
    await #expect {
      let response = try await client.execute(request)
      _ = try await response.body.collect(upTo: 10_000)
    } throws: { error in
      guard case .requestBodyLength(_, let expected, _)? = error as? HTTPError else { return false }
      return expected == 4000 + delta
    }
  }

  @Test("a failing body source fails the request with its message")
  func failingSource() async throws {
    struct SourceBroke: Error {}
    let request = HTTPRequest(
      method: "PUT", url: server.url("/echo"),
      body: .stream(length: 100) { throw SourceBroke() })
    await #expect {
      let response = try await client.execute(request)
      _ = try await response.body.collect(upTo: 1000)
    } throws: { error in
      guard case .requestBodySource(_, let message)? = error as? HTTPError else { return false }
      return message.contains("SourceBroke")
    }
  }
}

/// `count` chunks of `size` pattern bytes, produced on demand.
struct AsyncChunks: AsyncSequence, Sendable {
  let count: Int
  let size: Int

  struct AsyncIterator: AsyncIteratorProtocol {
    let count: Int
    let size: Int
    var index = 0
    mutating func next() async throws -> [UInt8]? {
      guard index < count else { return nil }
      defer { index += 1 }
      await Task.yield()
      return expectedPattern(count: size, offset: index * size)
    }
  }

  func makeAsyncIterator() -> AsyncIterator { AsyncIterator(count: count, size: size) }
}

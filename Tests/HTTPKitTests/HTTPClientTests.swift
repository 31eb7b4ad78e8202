import Foundation
import Testing

@testable import HTTPKit

@Suite("HTTPClient against a loopback server")
struct HTTPClientTests {
  let server: TestHTTPServer
  let client: HTTPClient

  init() throws {
    server = try TestHTTPServer.shared.get()
    client = try HTTPClient()
  }

  @Test("status and headers reach the caller, error statuses are responses")
  func statusAndHeaders() async throws {
    let response = try await client.execute(HTTPRequest(url: server.url("/status/404")))
    #expect(response.status == 404)
    #expect(response.headers["x-test"] == "yes")
    #expect(response.headers["X-TEST"] == "yes")
    let body = try await response.body.collect(upTo: 1024)
    #expect(String(decoding: body, as: UTF8.self) == "status 404")
  }

  @Test("a sized body arrives whole and in order", arguments: [0, 1, 1_000_000])
  func sizedBody(count: Int) async throws {
    let response = try await client.execute(HTTPRequest(url: server.url("/bytes/\(count)")))
    #expect(response.headers["content-length"] == "\(count)")
    #expect(try await response.body.collect(upTo: 2_000_000) == expectedPattern(count: count))
  }

  @Test("a chunked body arrives whole and in order")
  func chunkedBody() async throws {
    let response = try await client.execute(HTTPRequest(url: server.url("/bytes/3000000?chunked=1")))
    #expect(response.headers["transfer-encoding"] == "chunked")
    #expect(try await response.body.collect(upTo: 4_000_000) == expectedPattern(count: 3_000_000))
  }

  @Test("HEAD gives the headers and no body")
  func head() async throws {
    let response = try await client.execute(HTTPRequest(method: "HEAD", url: server.url("/bytes/1234")))
    #expect(response.status == 200)
    #expect(response.headers["content-length"] == "1234")
    #expect(try await response.body.collect(upTo: 10).isEmpty)
  }

  @Test("sequential requests reuse one keep-alive connection")
  func keepAlive() async throws {
    var peers: Set<String> = []
    for _ in 0..<5 {
      let response = try await client.execute(HTTPRequest(url: server.url("/peer")))
      peers.insert(String(decoding: try await response.body.collect(upTo: 100), as: UTF8.self))
    }
    #expect(peers.count == 1)
  }

  @Test("100 concurrent requests all complete with the right bytes")
  func concurrentRequests() async throws {
    let client = self.client
    let server = self.server
    let results = try await withThrowingTaskGroup(of: Bool.self) { group in
      for index in 0..<100 {
        group.addTask {
          let count = 10_000 + index
          let response = try await client.execute(HTTPRequest(url: server.url("/bytes/\(count)")))
          return try await response.body.collect(upTo: 20_000) == expectedPattern(count: count)
        }
      }
      return try await group.reduce(into: [Bool]()) { $0.append($1) }
    }
    #expect(results.count == 100)
    #expect(results.allSatisfy { $0 })
  }

  @Test("a slow reader pauses the download instead of growing a buffer")
  func slowConsumer() async throws {
    var configuration = HTTPClientConfiguration()
    configuration.responseBufferBytes = 1 << 20
    let client = try HTTPClient(configuration: configuration)
    let count = 32 << 20
    let response = try await client.execute(HTTPRequest(url: server.url("/bytes/\(count)")))
    var received = 0
    var chunks = 0
    var intact = true
    for try await chunk in response.body {
      if chunks < 10 { try await Task.sleep(for: .milliseconds(50)) }
      intact = intact && chunk == expectedPattern(count: chunk.count, offset: received)
      received += chunk.count
      chunks += 1
    }
    #expect(received == count)
    #expect(intact)
    // The buffer stops taking data at 1 MiB; one curl read (256 KiB) may land on top.
    #expect(response.body.peakBufferedBytes <= (1 << 20) + 256 * 1024)
  }

  @Test("a connection dropped mid-body is an error, not a short body")
  func droppedConnection() async throws {
    let response = try await client.execute(HTTPRequest(url: server.url("/drop/100000")))
    await #expect {
      _ = try await response.body.collect(upTo: 200_000)
    } throws: { error in
      guard case .connectionLost? = error as? HTTPError else { return false }
      return true
    }
  }

  @Test("an unreachable port is a connect failure")
  func connectFailure() async throws {
    await #expect {
      _ = try await client.execute(HTTPRequest(url: "http://127.0.0.1:1/"))
    } throws: { error in
      guard case .connectFailed? = error as? HTTPError else { return false }
      return (error as? HTTPError)?.isTransient == true
    }
  }

  @Test("a server silent for longer than the idle timeout times out")
  func idleTimeout() async throws {
    var configuration = HTTPClientConfiguration()
    configuration.idleTimeout = .seconds(1)
    let client = try HTTPClient(configuration: configuration)
    await #expect {
      _ = try await client.execute(HTTPRequest(url: server.url("/delay?ms=4000")))
    } throws: { error in
      guard case .timedOut? = error as? HTTPError else { return false }
      return true
    }
  }

  @Test("cancelling the task stops the request with CancellationError")
  func cancellation() async throws {
    let client = self.client
    let url = server.url("/delay?ms=10000")
    let task = Task { try await client.execute(HTTPRequest(url: url)) }
    try await Task.sleep(for: .milliseconds(200))
    task.cancel()
    await #expect(throws: CancellationError.self) { _ = try await task.value }
    // The client still works afterwards.
    let response = try await client.execute(HTTPRequest(url: server.url("/bytes/10")))
    #expect(try await response.body.collect(upTo: 10) == expectedPattern(count: 10))
  }

  @Test("dropping an unread body cancels its transfer and frees the client")
  func droppedBody() async throws {
    var configuration = HTTPClientConfiguration()
    configuration.maxConnectionsPerHost = 1
    let client = try HTTPClient(configuration: configuration)
    do {
      let response = try await client.execute(HTTPRequest(url: server.url("/bytes/\(64 << 20)")))
      var iterator = response.body.makeAsyncIterator()
      _ = try await iterator.next()
    }
    // With one connection per host, this only completes if the first transfer was released.
    let response = try await client.execute(HTTPRequest(url: server.url("/bytes/100")))
    #expect(try await response.body.collect(upTo: 100) == expectedPattern(count: 100))
  }

  @Test("shutdown cancels transfers in flight and refuses new ones")
  func shutdown() async throws {
    let client = try HTTPClient()
    let url = server.url("/delay?ms=10000")
    let inFlight = Task { try await client.execute(HTTPRequest(url: url)) }
    try await Task.sleep(for: .milliseconds(200))
    client.shutdown()
    await #expect(throws: CancellationError.self) { _ = try await inFlight.value }
    await #expect(throws: CancellationError.self) {
      _ = try await client.execute(HTTPRequest(url: server.url("/bytes/10")))
    }
  }
}

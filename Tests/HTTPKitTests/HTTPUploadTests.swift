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
}

import Foundation
import Testing

@testable import HTTPKit

@Suite("HTTPClient TLS verification")
struct HTTPTLSTests {
  @Test("an unknown certificate is refused by default, accepted with its CA file or when insecure")
  func verification() async throws {
    let certificate = try TestCertificate()
    defer { certificate.remove() }
    let server = try TestHTTPServer(tls: (certificate.cert, certificate.key))

    let strict = try HTTPClient()
    await #expect {
      _ = try await strict.execute(HTTPRequest(url: server.url("/bytes/10")))
    } throws: { error in
      guard case .tls? = error as? HTTPError else { return false }
      return true
    }

    for verification in [HTTPClientConfiguration.TLSVerification.caFile(certificate.cert), .insecure] {
      var configuration = HTTPClientConfiguration()
      configuration.tlsVerification = verification
      let client = try HTTPClient(configuration: configuration)
      let response = try await client.execute(HTTPRequest(url: server.url("/bytes/10")))
      #expect(response.status == 200)
      #expect(try await response.body.collect(upTo: 10) == expectedPattern(count: 10))
    }
  }
}

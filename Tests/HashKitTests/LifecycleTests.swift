// Tests that every OpenSSL handle HashKit creates is freed, and that failures carry OpenSSL's text.
import Testing

@testable import HashKit

@Suite struct LifecycleTests {
  @Test func everyContextIsFreed() throws {
    let tracker = HandleTracker()
    try HandleTracker.$current.withValue(tracker) {
      for round in 0..<500 {
        _ = try SHA256.hash("round \(round)")
        _ = try MD5.hash("round \(round)")
        _ = try HMACSHA256.authenticationCode(for: "round \(round)", key: [UInt8(round & 0xff)])
        _ = try CellsContentHash.hash("round \(round)")  // two MD5 contexts
        let kept = try SHA256()
        try kept.update("still alive")
        #expect(tracker.live == 1)
        _ = try kept.finalize()
      }
    }
    #expect(tracker.allocated == 500 * 6)
    #expect(tracker.live == 0)
  }

  @Test func unknownAlgorithmThrowsWithOpenSSLReason() {
    #expect {
      _ = try DigestContext(algorithm: "NO-SUCH-DIGEST")
    } throws: { error in
      guard case .algorithmUnavailable(let name, let reason)? = error as? HashError else {
        return false
      }
      return name == "NO-SUCH-DIGEST" && reason.contains("error:")
    }
    // The queue was drained: nothing stale is left for the next failure to report.
    #expect(HashError.drainOpenSSLErrors() == "no error reported by OpenSSL")
  }

  @Test func descriptionsAreOneLine() {
    let error = HashError.openSSLFailure(function: "EVP_DigestUpdate", reason: "error:1:x")
    #expect(error.localizedDescription == "OpenSSL call EVP_DigestUpdate failed: error:1:x")
    #expect(!error.localizedDescription.contains("\n"))
  }
}

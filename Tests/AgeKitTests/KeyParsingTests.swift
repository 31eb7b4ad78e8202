// Keys and key files: Bech32 spellings, line numbers in errors, and secrets kept out of all text.
import AgeKit
import Foundation
import Testing

@Suite struct KeyParsingTests {
  // The example key pair of the age specification.
  static let specIdentity = "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX"
  static let specRecipient = "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj"

  @Test func specExampleKeyPair() throws {
    let identity = try AgeIdentity(parsing: Self.specIdentity)
    guard case .x25519(let secretKey) = identity else { Issue.record("not X25519"); return }
    #expect(secretKey == [UInt8](repeating: 0x42, count: 32))
    #expect(identity.recipient?.encoded == Self.specRecipient)
    #expect(try AgeRecipient(parsing: Self.specRecipient).encoded == Self.specRecipient)
    #expect(identity.encoded == Self.specIdentity)
  }

  @Test(arguments: [
    "", "age1", specRecipient.uppercased(), String(specRecipient.dropLast()) + "k",
    "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwJ", specIdentity,
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGsomething",
  ])
  func invalidRecipients(text: String) {
    #expect(throws: AgeError.invalidRecipient(line: nil)) { _ = try AgeRecipient(parsing: text) }
  }

  @Test(arguments: [
    specIdentity.lowercased(), String(specIdentity.dropLast()) + "Y", specRecipient, "AGE-PLUGIN-YUBIKEY-1QQQQ",
  ])
  func invalidIdentities(text: String) {
    #expect(throws: AgeError.invalidIdentity(line: nil)) { _ = try AgeIdentity(parsing: text) }
  }

  @Test func identityFileErrorsNameTheLineOnly() throws {
    let typo = String(Self.specIdentity.dropLast()) + "Y"
    let text = "# created: today\n# public key: \(Self.specRecipient)\n\n\(typo)\n"
    #expect(throws: AgeError.invalidIdentity(line: 4)) { _ = try AgeIdentity.parseFile(text) }
    let description = AgeError.invalidIdentity(line: 4).localizedDescription
    #expect(description == "invalid identity on line 4")
    #expect(!description.contains("AGE-SECRET"))
    #expect(throws: AgeError.noIdentities) { _ = try AgeIdentity.parseFile("# nothing here\n\n") }
    #expect(try AgeIdentity.parseFile("\(Self.specIdentity)\r\n# another\r\n\(Self.specIdentity)\r\n").count == 2)
  }

  @Test func recipientFileErrorsNameTheLineOnly() {
    #expect(throws: AgeError.invalidRecipient(line: 3)) {
      _ = try AgeRecipient.parseFile("\(Self.specRecipient)\n# comment\nage1typo\n")
    }
    #expect(throws: AgeError.noRecipients) { _ = try AgeRecipient.parseFile("\n# none\n") }
  }

  @Test func secretsStayOutOfDescriptions() {
    let secret = "hunter2-very-secret"
    let values: [Any] = [
      AgeIdentity.scrypt(passphrase: Array(secret.utf8)), AgeRecipient.scrypt(passphrase: Array(secret.utf8)),
    ]
    for value in values {
      var dumped = ""
      dump(value, to: &dumped)
      for text in [String(describing: value), String(reflecting: value), dumped, "\(value)"] {
        #expect(!text.contains(secret) && !text.contains("104, 117"))
      }
    }
    let identity = try! AgeIdentity(parsing: Self.specIdentity)
    var dumped = ""
    dump(identity, to: &dumped)
    for text in [String(describing: identity), String(reflecting: identity), dumped] {
      #expect(!text.contains("66, 66") && !text.contains("AGE-SECRET-KEY") && !text.contains("secretKey"))
      #expect(text.contains(Self.specRecipient))
    }
  }

  @Test func errorDescriptionsAreOneLine() {
    let errors: [AgeError] = [
      .notAgeFile, .unsupportedVersion, .malformedHeader("x"), .noMatchingIdentity, .passphraseRequired,
      .wrongPassphrase, .passphraseMixedWithRecipients, .workFactorTooHigh(30, max: 22), .headerMACMismatch,
      .damaged(chunk: 3), .truncated, .trailingData, .invalidRecipient(line: 2), .invalidRecipient(line: nil),
      .invalidIdentity(line: 1), .invalidIdentity(line: nil), .noRecipients, .noIdentities,
    ]
    for error in errors {
      let text = error.localizedDescription
      #expect(!text.isEmpty && !text.contains("\n"))
    }
    #expect(AgeError.damaged(chunk: 3).localizedDescription.contains("changed or damaged"))
  }
}

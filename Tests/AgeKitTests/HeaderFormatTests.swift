// The header encoding details that the age tool's own files do not exercise: Base64 edge cases,
// stanza bodies that fill their last line, and unknown stanza types.
import CellarTestSupport
import Testing

@testable import AgeKit

@Suite struct HeaderFormatTests {
  @Test func base64RoundTripsAndRefusesNonCanonical() {
    for count in 0..<70 {
      let bytes = TestData.bytes(count: count, seed: UInt64(count))
      let text = AgeBase64.encode(bytes)
      #expect(!text.contains(UInt8(ascii: "=")))
      #expect(AgeBase64.decode(text) == bytes)
    }
    #expect(AgeBase64.encodeString(Array("foobar".utf8)) == "Zm9vYmFy")
    #expect(AgeBase64.encodeString(Array("fo".utf8)) == "Zm8")
    #expect(AgeBase64.decode("Zm8") == Array("fo".utf8))
    #expect(AgeBase64.decode("Zm9") == nil)  // set bits after the last byte
    #expect(AgeBase64.decode("Zm8=") == nil)  // padding
    #expect(AgeBase64.decode("Z") == nil)  // impossible length
    #expect(AgeBase64.decode("Zm 8") == nil)
  }

  @Test func fullLineBodiesEndWithAnEmptyLine() throws {
    let stanza = AgeStanza(arguments: ["test", "arg"], body: TestData.bytes(count: 48, seed: 5))
    let text = String(decoding: stanza.encoded, as: UTF8.self)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.count == 4 && lines[0] == "-> test arg" && lines[1].count == 64 && lines[2].isEmpty)
    let empty = AgeStanza(arguments: ["empty"], body: [])
    #expect(String(decoding: empty.encoded, as: UTF8.self) == "-> empty\n\n")
  }

  @Test func unknownStanzasAreSkippedAndRoundTrip() throws {
    let fileKey = TestData.bytes(count: 16, seed: 8)
    let (identity, recipient) = try AgeKeys.generate()
    guard case .x25519(let publicKey) = try AgeRecipient(parsing: recipient) else { return }
    let stanzas = [
      AgeStanza(arguments: ["example.com/enigma", "a", "b"], body: TestData.bytes(count: 100, seed: 1)),
      AgeStanza(arguments: ["empty"], body: []),
      try X25519Stanza.wrap(fileKey: fileKey, recipient: publicKey),
    ]
    let nonce = [UInt8](repeating: 9, count: 16)
    let bytes = try AgeHeader.encode(stanzas: stanzas, fileKey: fileKey) + nonce
    let header = try #require(try AgeHeader.parse(bytes, atEnd: true))
    #expect(header.stanzas == stanzas && header.payloadNonce == nonce && header.length == bytes.count)
    #expect(try FileKeyUnwrapper.fileKey(of: header, identities: [AgeIdentity(parsing: identity)]) == fileKey)
    // Every proper prefix asks for more, or is cut short once no more can come.
    for length in 0..<bytes.count {
      let prefix = Array(bytes[..<length])
      #expect(try AgeHeader.parse(prefix, atEnd: false) == nil)
      #expect(throws: length < 19 ? AgeError.notAgeFile : AgeError.truncated) {
        _ = try AgeHeader.parse(prefix, atEnd: true)
      }
    }
  }

  @Test(arguments: [
    "-> \n\n", "->  x\n\n", "-> x \n\n", "-> x\u{7f}\n\n", "->x\n\n", "-> x\nAAA=\n",
    "-> x\n" + String(repeating: "A", count: 65) + "\n", "-> x\n" + String(repeating: "A", count: 64) + "\n",
    "junk\n",
  ])
  func malformedStanzas(stanza: String) {
    let bytes =
      AgeFormat.magic + Array(stanza.utf8) + Array("--- \(String(repeating: "A", count: 43))\n".utf8)
      + [UInt8](repeating: 0, count: 16)
    #expect {
      _ = try AgeHeader.parse(bytes, atEnd: true)
    } throws: { error in
      guard case .malformedHeader = error as? AgeError else { return false }
      return true
    }
  }

  @Test func headerNeedsAStanzaAndAWholeMACLine() {
    let tail = [UInt8](repeating: 0, count: 16)
    for text in ["--- \(String(repeating: "A", count: 43))\n", "-> x\n\n--- AAAA\n", "-> x\n\n---\n"] {
      #expect(throws: AgeError.self) { _ = try AgeHeader.parse(AgeFormat.magic + Array(text.utf8) + tail, atEnd: true) }
    }
  }
}

// Tests for SHA256 against the NIST FIPS 180-2 example vectors.
import Testing

@testable import HashKit

@Suite struct SHA256Tests {
  static let nist448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"

  @Test(arguments: [
    ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    (nist448, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
  ])
  func knownVectors(message: String, expected: String) throws {
    #expect(try SHA256.hash(message).hex == expected)
    #expect(try SHA256.hash(Array(message.utf8)).hex == expected)
  }

  @Test func oneMillionAFedInOddChunks() throws {
    let hash = try SHA256()
    try feed([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000), to: hash)
    let digest = try hash.finalize()
    #expect(digest.hex == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    #expect(digest.bytes.count == SHA256.byteCount)
  }

  @Test func finalizeStartsANewMessage() throws {
    let hash = try SHA256()
    try hash.update("ab")
    try hash.update("c")
    let first = try hash.finalize()
    try hash.update("abc")
    #expect(try hash.finalize() == first)
    #expect(try hash.finalize() == SHA256.hash(""))
  }

  @Test func emptyUpdatesChangeNothing() throws {
    let hash = try SHA256()
    try hash.update([])
    try hash.update(UnsafeRawBufferPointer(start: nil, count: 0))
    try hash.update("")
    #expect(
      try hash.finalize().hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
  }
}

// Tests for Scrypt against RFC 7914 §12 (the two vectors small enough for a unit test).
import Foundation
import Testing

@testable import HashKit

@Suite struct ScryptTests {
  @Test func rfc7914EmptyPasswordAndSalt() throws {
    let key = try Scrypt.deriveKey(password: [], salt: [], logN: 4, r: 1, p: 1, byteCount: 64)
    #expect(
      key
        == hex(
          "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442"
            + "fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906"))
  }

  @Test func rfc7914PasswordNaCl() throws {
    let key = try Scrypt.deriveKey(
      password: Array("password".utf8), salt: Array("NaCl".utf8), logN: 10, r: 8, p: 16, byteCount: 64)
    #expect(
      key
        == hex(
          "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
            + "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640"))
  }

  @Test func memoryAboveOpenSSLDefaultLimit() throws {
    // logN 16 with r 8 needs 64 MiB, over OpenSSL's default 32 MiB limit. Python:
    // hashlib.scrypt(b"pw", salt=b"salt", n=2**16, r=8, p=1, maxmem=2**27, dklen=32).hex()
    let key = try Scrypt.deriveKey(password: Array("pw".utf8), salt: Array("salt".utf8), logN: 16, byteCount: 32)
    #expect(key == hex(try runPython(Self.pythonScrypt).trimmingCharacters(in: .whitespacesAndNewlines)))
  }

  @Test func outOfRangeParametersAreRefused() {
    #expect(throws: HashError.self) { _ = try Scrypt.deriveKey(password: [1], salt: [1], logN: 0, byteCount: 32) }
    #expect(throws: HashError.self) { _ = try Scrypt.deriveKey(password: [1], salt: [1], logN: 31, byteCount: 32) }
  }

  static let pythonScrypt = """
    import hashlib
    print(hashlib.scrypt(b"pw", salt=b"salt", n=2**16, r=8, p=1, maxmem=2**27, dklen=32).hex())
    """
}

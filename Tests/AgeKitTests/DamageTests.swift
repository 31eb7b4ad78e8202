// Hostile and damaged input: wrong keys, altered headers and payloads, cut and extended files.
import AgeKit
import CellarTestSupport
import Foundation
import Testing

@Suite struct DamageTests {
  static let key = try! AgeKeys.generate()
  static var identities: [AgeIdentity] { [try! AgeIdentity(parsing: key.identity)] }
  static let passphrase = Array("open sesame".utf8)

  /// An age file of `size` bytes for the test key, with where its payload starts.
  static func file(size: Int, seed: UInt64 = 1) throws -> (bytes: [UInt8], plaintext: [UInt8], payloadStart: Int) {
    let plaintext = TestData.bytes(count: size, seed: seed)
    let bytes = try AgeBytes.encrypt(plaintext, to: [AgeRecipient(parsing: key.recipient)])
    let start = try AgeBytes.open(bytes, identities: identities).payloadStart
    return (bytes, plaintext, Int(start))
  }

  /// The error random access and sequential reading give for `file` (reading all of it), which
  /// must be the same.
  static func errors(_ file: [UInt8], identities: [AgeIdentity] = identities) -> (AgeError?, AgeError?) {
    var random: AgeError?
    do {
      let reader = try AgeBytes.open(file, identities: identities)
      _ = try reader.read(at: 0, count: Int(reader.plaintextSize))
    } catch {
      random = error as? AgeError
    }
    var sequential: AgeError?
    do {
      _ = try AgeBytes.decryptSequentially(file, identities: identities)
    } catch {
      sequential = error as? AgeError
    }
    return (random, sequential)
  }

  @Test func wrongIdentity() throws {
    let (file, _, _) = try Self.file(size: 1000)
    let other = try AgeIdentity(parsing: AgeKeys.generate().identity)
    #expect(Self.errors(file, identities: [other]) == (.noMatchingIdentity, .noMatchingIdentity))
    #expect(Self.errors(file, identities: []) == (.noMatchingIdentity, .noMatchingIdentity))
    #expect(
      Self.errors(file, identities: [.scrypt(passphrase: Self.passphrase)]) == (
        .noMatchingIdentity, .noMatchingIdentity
      ))
  }

  @Test func passphraseFiles() throws {
    let plaintext = TestData.bytes(count: 100, seed: 3)
    let file = try AgeBytes.encrypt(plaintext, to: [.scrypt(passphrase: Self.passphrase, workFactor: 10)])
    #expect(
      try AgeBytes.open(file, identities: [.scrypt(passphrase: Self.passphrase)]).read(at: 0, count: 100) == plaintext)
    #expect(
      Self.errors(file, identities: [.scrypt(passphrase: Array("open sesame!".utf8))]) == (
        .wrongPassphrase, .wrongPassphrase
      ))
    #expect(Self.errors(file, identities: Self.identities) == (.passphraseRequired, .passphraseRequired))
    #expect(
      Self.errors(file, identities: [.scrypt(passphrase: Self.passphrase, maxWorkFactor: 9)])
        == (.workFactorTooHigh(10, max: 9), .workFactorTooHigh(10, max: 9)))
    // A second passphrase that is right still opens it after a wrong one.
    let both: [AgeIdentity] = [.scrypt(passphrase: [1, 2]), .scrypt(passphrase: Self.passphrase)]
    #expect(try AgeBytes.decryptSequentially(file, identities: both) == plaintext)
  }

  @Test func scryptStanzaMustBeAlone() throws {
    let file = try AgeBytes.encrypt([1, 2, 3], to: [.scrypt(passphrase: Self.passphrase, workFactor: 10)])
    let marker = Array("\n---".utf8)
    let at = file.firstRange(of: marker)!.lowerBound + 1
    let extended = Array(file[..<at]) + Array("-> other\n\n".utf8) + Array(file[at...])
    #expect(
      Self.errors(extended, identities: [.scrypt(passphrase: Self.passphrase)])
        == (
          .malformedHeader("an scrypt stanza is not the only stanza"),
          .malformedHeader("an scrypt stanza is not the only stanza")
        ))
  }

  @Test func encryptionArgumentsAreChecked() throws {
    let recipient = try AgeRecipient(parsing: Self.key.recipient)
    #expect(throws: AgeError.noRecipients) { _ = try AgeBytes.encrypt([], to: []) }
    #expect(throws: AgeError.passphraseMixedWithRecipients) {
      _ = try AgeBytes.encrypt([], to: [recipient, .scrypt(passphrase: Self.passphrase)])
    }
    #expect(throws: AgeError.workFactorTooHigh(23, max: 22)) {
      _ = try AgeBytes.encrypt([], to: [.scrypt(passphrase: Self.passphrase, workFactor: 23)])
    }
    #expect(throws: AgeError.invalidRecipient(line: nil)) {
      _ = try AgeBytes.encrypt([], to: [.x25519(publicKey: [UInt8](repeating: 0, count: 32))])
    }
  }

  @Test func everyFlippedHeaderByteIsRefused() throws {
    let (file, _, start) = try Self.file(size: 10)
    let headerEnd = start - 16
    for index in 0..<headerEnd {
      var damaged = file
      damaged[index] ^= 0x01
      let (random, sequential) = Self.errors(damaged)
      #expect(random != nil && random == sequential, "byte \(index)")
    }
    // The MAC itself: a flip in its Base64 is a mismatch.
    var damaged = file
    damaged[headerEnd - 10] = damaged[headerEnd - 10] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
    #expect(Self.errors(damaged) == (.headerMACMismatch, .headerMACMismatch))
    // A flipped payload nonce changes the payload key: the first chunk fails.
    damaged = file
    damaged[start - 1] ^= 0x80
    #expect(Self.errors(damaged) == (.damaged(chunk: 0), .damaged(chunk: 0)))
  }

  @Test func nonCanonicalBase64IsRefused() throws {
    let (file, _, start) = try Self.file(size: 10)
    // The MAC's last character carries 2 bits of the hash and 4 zero bits; setting one of those
    // gives the same bytes to a lenient decoder, a different header to the spec.
    let index = start - 16 - 2
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    var damaged = file
    damaged[index] = alphabet[alphabet.firstIndex(of: file[index])! | 1]
    #expect(
      Self.errors(damaged) == (
        .malformedHeader("the MAC line is malformed"), .malformedHeader("the MAC line is malformed")
      ))
  }

  @Test func flippedPayloadBytesNameTheChunk() throws {
    let (file, plaintext, start) = try Self.file(size: 3 * 65536 + 10)
    for chunk in 0..<4 {
      var damaged = file
      damaged[start + chunk * 65552 + 100 % (chunk == 3 ? 26 : 65552)] ^= 0x20
      let (random, sequential) = Self.errors(damaged)
      #expect(random == .damaged(chunk: Int64(chunk)) && sequential == .damaged(chunk: Int64(chunk)))
      if chunk == 1 {
        // Random access still reads the chunks that are intact.
        let reader = try AgeBytes.open(damaged, identities: Self.identities)
        #expect(try reader.read(at: 0, count: 65536) == Array(plaintext[0..<65536]))
        #expect(try reader.read(at: 2 * 65536, count: 65536) == Array(plaintext[(2 * 65536)..<(3 * 65536)]))
        #expect(throws: AgeError.damaged(chunk: 1)) { _ = try reader.read(at: 65536 + 5, count: 1) }
      }
    }
  }

  @Test func cutFiles() throws {
    let (file, _, start) = try Self.file(size: 3 * 65536)
    // At a chunk boundary: the chunk before the cut opens as a middle chunk, so it is a cut.
    let atBoundary = Array(file[..<(start + 2 * 65552)])
    #expect(Self.errors(atBoundary) == (.truncated, .truncated))
    // Mid-chunk: indistinguishable from damage to the final chunk.
    let midChunk = Array(file[..<(start + 65552 + 30000)])
    #expect(Self.errors(midChunk) == (.damaged(chunk: 1), .damaged(chunk: 1)))
    let shortTail = Array(file[..<(start + 65552 + 10)])
    #expect(Self.errors(shortTail) == (.truncated, .truncated))
    // Right after the nonce, inside the nonce, inside the header, and nothing at all.
    #expect(Self.errors(Array(file[..<start])) == (.truncated, .truncated))
    #expect(Self.errors(Array(file[..<(start - 3)])) == (.truncated, .truncated))
    #expect(Self.errors(Array(file[..<40])) == (.truncated, .truncated))
    #expect(Self.errors([]) == (.notAgeFile, .notAgeFile))
  }

  @Test func trailingData() throws {
    let garbage = Array("trailing garbage".utf8)
    // After a full final chunk the final chunk is found and the garbage named.
    let (full, _, _) = try Self.file(size: 65536)
    #expect(Self.errors(full + garbage) == (.trailingData, .trailingData))
    // Garbage longer than a chunk: random access checks the end of the file only, and sees damage.
    #expect(Self.errors(full + garbage + [UInt8](repeating: 7, count: 70000)) == (.damaged(chunk: 2), .trailingData))
    // After a short final chunk, the chunk boundary is lost: it reads as damage.
    let (short, _, _) = try Self.file(size: 1000)
    #expect(Self.errors(short + garbage) == (.damaged(chunk: 0), .damaged(chunk: 0)))
  }

  @Test func notAgeAndOtherVersions() {
    #expect(Self.errors(Array("hello world, this is not encrypted at all".utf8)) == (.notAgeFile, .notAgeFile))
    #expect(Self.errors(Array("-----BEGIN AGE ENCRYPTED FILE-----\n".utf8)) == (.notAgeFile, .notAgeFile))
    #expect(Self.errors(Array("age-encryption.org/v2\nwhatever\n".utf8)) == (.unsupportedVersion, .unsupportedVersion))
    #expect(!AgeFormat.isAge(Array("age-encryption.org/v1".utf8)))
    #expect(AgeFormat.isAge(AgeFormat.magic + [0xff]))
  }

  @Test func oversizedHeaderIsRefusedWithoutReadingItAll() {
    let huge = AgeFormat.magic + Array("-> x ".utf8) + [UInt8](repeating: UInt8(ascii: "a"), count: 3 << 20)
    let reads = ReadCounter()
    #expect(throws: AgeError.malformedHeader("it is longer than 1024 KiB")) {
      _ = try AgeBytes.open(huge, identities: Self.identities, reads: reads)
    }
    #expect(reads.count < 40)
  }
}

// Passphrase (scrypt) files both ways with the age tool, which reads the passphrase from its
// terminal: a pseudo-terminal types it.
import AgeKit
import CellarTestSupport
import Foundation
import Testing

@Suite struct PassphraseTests {
  static let passphrase = "correct horse battery staple"

  @Test func ageDecryptsAPassphraseFileFromAgeKit() throws {
    let folder = try Scratch()
    defer { folder.remove() }
    let plaintext = TestData.bytes(count: 70_000, seed: 11)
    let file = try AgeBytes.encrypt(
      plaintext, to: [.scrypt(passphrase: Array(Self.passphrase.utf8), workFactor: 10)])
    try Data(file).write(to: URL(fileURLWithPath: folder.path("file.age")))
    let result = try AgeTool.withPassphrase(Self.passphrase, ["-d", "-o", folder.path("out"), folder.path("file.age")])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: folder.path("out")))) == plaintext)
  }

  @Test func ageKitDecryptsAPassphraseFileFromAge() throws {
    let folder = try Scratch()
    defer { folder.remove() }
    let plaintext = TestData.bytes(count: 100_000, seed: 12)
    try Data(plaintext).write(to: URL(fileURLWithPath: folder.path("plain")))
    let result = try AgeTool.withPassphrase(
      Self.passphrase, ["-p", "-o", folder.path("file.age"), folder.path("plain")])
    #expect(result.status == 0, "\(result.stderr)")
    let file = try [UInt8](Data(contentsOf: URL(fileURLWithPath: folder.path("file.age"))))
    let identity = AgeIdentity.scrypt(passphrase: Array(Self.passphrase.utf8))
    #expect(try AgeBytes.open(file, identities: [identity]).read(at: 0, count: 200_000) == plaintext)
    #expect(try AgeBytes.decryptSequentially(file, identities: [identity]) == plaintext)
    #expect(throws: AgeError.wrongPassphrase) {
      _ = try AgeBytes.open(file, identities: [.scrypt(passphrase: Array("wrong".utf8))])
    }
    // age writes its default work factor, 18: a cap below it refuses the file before any work.
    #expect(throws: AgeError.workFactorTooHigh(18, max: 16)) {
      _ = try AgeBytes.open(file, identities: [.scrypt(passphrase: Array(Self.passphrase.utf8), maxWorkFactor: 16)])
    }
  }
}

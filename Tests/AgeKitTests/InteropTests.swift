// Interoperability with the age tool both ways: AgeKit encrypts and age decrypts, age encrypts and
// AgeKit reads back (whole, at random ranges, and sequentially).
import AgeKit
import CellarTestSupport
import Foundation
import Testing

@Suite struct InteropTests {
  static let sizes = [0, 1, 65535, 65536, 65537, 3 * 65536, 1_048_583]

  @Test(arguments: sizes) func ageDecryptsWhatAgeKitEncrypts(size: Int) throws {
    let folder = try Scratch()
    defer { folder.remove() }
    let key = try ToolKey(in: folder)
    let plaintext = TestData.bytes(count: size, seed: UInt64(size))
    let file = try AgeBytes.encrypt(plaintext, to: [AgeRecipient(parsing: key.recipient)])
    #expect(AgeFormat.isAge(file))
    try Data(file).write(to: URL(fileURLWithPath: folder.path("file.age")))
    #expect(try AgeTool.decrypt(folder.path("file.age"), identity: key.identityFile) == plaintext)
  }

  @Test(arguments: sizes) func ageKitReadsWhatAgeEncrypts(size: Int) throws {
    let folder = try Scratch()
    defer { folder.remove() }
    let key = try ToolKey(in: folder)
    let plaintext = TestData.bytes(count: size, seed: UInt64(size) + 1)
    let file = try AgeTool.encrypt(plaintext, recipients: [key.recipient], in: folder)
    let identities = try AgeIdentity.parseFile(key.identityText())

    let reader = try AgeBytes.open(file, identities: identities)
    #expect(reader.plaintextSize == Int64(size))
    #expect(try reader.read(at: 0, count: size + 10) == plaintext)
    #expect(try reader.read(at: Int64(size), count: 10) == [])
    var generator = TestData.Generator(state: UInt64(size))
    for _ in 0..<40 where size > 0 {
      let offset = Int(generator.next() % UInt64(size))
      let count = Int(generator.next() % 200_000)
      let expected = Array(plaintext[offset..<min(offset + count, size)])
      #expect(try reader.read(at: Int64(offset), count: count) == expected)
    }
    #expect(try AgeBytes.decryptSequentially(file, identities: identities) == plaintext)
  }

  @Test func readsAcrossChunkBoundariesAndAtTheEnd() throws {
    let folder = try Scratch()
    defer { folder.remove() }
    let key = try ToolKey(in: folder)
    let size = 3 * 65536 + 100
    let plaintext = TestData.bytes(count: size, seed: 42)
    let file = try AgeTool.encrypt(plaintext, recipients: [key.recipient], in: folder)
    let reads = ReadCounter()
    let reader = try AgeBytes.open(file, identities: AgeIdentity.parseFile(key.identityText()), reads: reads)
    for (offset, count) in [(65530, 12), (65536, 1), (65535, 2), (131_071, 65538), (size - 5, 100), (size - 1, 1)] {
      #expect(try reader.read(at: Int64(offset), count: count) == Array(plaintext[offset..<min(offset + count, size)]))
    }
    // Three chunks in one read call; a read inside the chunk just decrypted needs no read at all.
    reads.count = 0
    #expect(try reader.read(at: 10, count: 3 * 65536) == Array(plaintext[10..<(10 + 3 * 65536)]))
    #expect(reads.count == 1)
    #expect(try reader.read(at: 3 * 65536 + 1, count: 5) == Array(plaintext[(3 * 65536 + 1)..<(3 * 65536 + 6)]))
    #expect(reads.count == 1)
    let secondChunk = (reader.payloadStart + 65552)..<(reader.payloadStart + 2 * 65552)
    #expect(reader.ciphertextRange(plaintextOffset: 65536, count: 2) == secondChunk)
  }

  @Test func severalRecipientsEachDecryptWithAge() throws {
    let folder = try Scratch()
    defer { folder.remove() }
    let first = try ToolKey(in: folder, name: "first")
    let second = try ToolKey(in: folder, name: "second")
    let recipients = try AgeRecipient.parseFile(
      "# backup keys\n\(first.recipient)\n\n  \(second.recipient)  \r\n# end\n")
    #expect(recipients.count == 2)
    let plaintext = TestData.bytes(count: 100_000, seed: 7)
    let file = try AgeBytes.encrypt(plaintext, to: recipients)
    try Data(file).write(to: URL(fileURLWithPath: folder.path("file.age")))
    #expect(try AgeTool.decrypt(folder.path("file.age"), identity: first.identityFile) == plaintext)
    #expect(try AgeTool.decrypt(folder.path("file.age"), identity: second.identityFile) == plaintext)
    // And AgeKit with either key, or with both (a file listing several identities).
    for identities in [
      try first.identityText(), try second.identityText(), try first.identityText() + second.identityText(),
    ] {
      #expect(
        try AgeBytes.open(file, identities: AgeIdentity.parseFile(identities)).read(at: 0, count: 200_000) == plaintext)
    }
  }

  @Test func generatedKeysWorkWithAge() throws {
    let folder = try Scratch()
    defer { folder.remove() }
    let (identity, recipient) = try AgeKeys.generate()
    #expect(identity.hasPrefix("AGE-SECRET-KEY-1") && recipient.hasPrefix("age1"))
    try "# made by AgeKeys\n\(identity)\n".write(toFile: folder.path("key"), atomically: true, encoding: .utf8)
    // age-keygen derives the same recipient from the identity.
    let derived = String(decoding: try ChildProcess.output("age-keygen", ["-y", folder.path("key")]), as: UTF8.self)
    #expect(derived.trimmingCharacters(in: .whitespacesAndNewlines) == recipient)
    let plaintext = TestData.bytes(count: 5000, seed: 9)
    let file = try AgeTool.encrypt(plaintext, recipients: [recipient], in: folder)
    #expect(try AgeBytes.open(file, identities: [AgeIdentity(parsing: identity)]).read(at: 0, count: 5000) == plaintext)
    #expect(try AgeIdentity(parsing: identity).recipient?.encoded == recipient)
  }
}

// AgeKitTests: AgeKit's streaming types over byte arrays, for tests.
import AgeKit
import CellarTestSupport
import Testing

/// Encrypting and decrypting whole arrays with AgeKit.
enum AgeBytes {
  /// The age file of `plaintext` for `recipients`, written in pieces of the given sizes (cycled) to
  /// exercise the writer's buffering.
  static func encrypt(_ plaintext: [UInt8], to recipients: [AgeRecipient], pieces: [Int] = [70_000, 1, 4096])
    throws -> [UInt8]
  {
    var output: [UInt8] = []
    let writer = try AgeEncryptingWriter(recipients: recipients) { output.append(contentsOf: $0) }
    var offset = 0
    var turn = 0
    while offset < plaintext.count {
      let count = min(pieces[turn % pieces.count], plaintext.count - offset)
      try plaintext[offset..<(offset + count)].withUnsafeBytes { try writer.write($0) }
      offset += count
      turn += 1
    }
    try writer.finish()
    return output
  }

  /// Random access to the age file `file`, counting the reads it makes.
  static func open(_ file: [UInt8], identities: [AgeIdentity], reads: ReadCounter = ReadCounter()) throws
    -> AgeRandomAccess
  {
    try AgeRandomAccess(size: Int64(file.count), identities: identities) { offset, count in
      reads.count += 1
      let start = Int(offset)
      return Array(file[start..<min(start + count, file.count)])
    }
  }

  /// The plaintext of `file` read sequentially, fed in pieces of the given sizes (cycled).
  static func decryptSequentially(_ file: [UInt8], identities: [AgeIdentity], pieces: [Int] = [1000, 70_001, 7])
    throws -> [UInt8]
  {
    var offset = 0
    var turn = 0
    let reader = try AgeDecryptingReader(identities: identities) {
      let count = min(pieces[turn % pieces.count], file.count - offset)
      turn += 1
      defer { offset += count }
      return Array(file[offset..<(offset + count)])
    }
    var plaintext: [UInt8] = []
    while true {
      let chunk = try reader.next()
      if chunk.isEmpty { break }
      #expect(chunk.count <= 65536)
      plaintext += chunk
    }
    return plaintext
  }
}

/// How many times a read closure was called.
final class ReadCounter: @unchecked Sendable {
  var count = 0
}

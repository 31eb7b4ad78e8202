// CellarCore: an encrypted archive read at offsets: only the age chunks that hold the bytes asked
// for are fetched and decrypted (docs/architecture.md, "Encryption").
import AgeKit
import ArchiveKit

/// The plain bytes of an age-encrypted archive, local or on S3.
///
/// age encrypts in independent 64 KiB chunks, each authenticated: a read decrypts the chunks
/// it spans and no more, so the seekable-archive index works through encryption, and a changed
/// byte anywhere fails the read of its chunk. Offsets and sizes are those of the plain archive.
final class AgeArchiveBytes: ArchiveBytes {
  let name: String
  let size: Int64
  var bytesRead: Int64 { encrypted.bytesRead }
  private let encrypted: any ArchiveBytes
  private let file: AgeRandomAccess

  /// Opens `encrypted` with the command's identities.
  init(_ encrypted: any ArchiveBytes) throws {
    self.encrypted = encrypted
    name = encrypted.name
    do {
      file = try AgeRandomAccess(size: encrypted.size, identities: try Keyring.identities(for: encrypted.name)) {
        try encrypted.read(at: $0, count: $1)
      }
    } catch let error as AgeError {
      let message = "\(encrypted.name): \(error.localizedDescription)"
      switch error {
      case .truncated, .damaged, .trailingData, .headerMACMismatch, .malformedHeader:
        throw ArchiveError.source(message: message)  // what was written is not what is read
      default:
        throw CellarError.failed(message)
      }
    }
    size = file.plaintextSize
  }

  /// Whether the file `bytes` holds starts as an age file does.
  ///
  /// - Throws: `CellarError.usage` for an ASCII-armored age file, which cannot be read at offsets.
  static func isEncrypted(_ bytes: any ArchiveBytes) throws -> Bool {
    let start = try bytes.read(at: 0, count: armorLine.count)
    try refuseArmored(start, name: bytes.name)
    return AgeFormat.isAge(Array(start.prefix(AgeFormat.magic.count)))
  }

  /// The first line of an ASCII-armored age file.
  private static let armorLine = Array("-----BEGIN AGE ENCRYPTED FILE-----".utf8)

  /// Refuses a file called `name` whose first bytes, `start`, are those of an ASCII-armored age
  /// file (it cannot be read at offsets, and cellar does not decode armor).
  static func refuseArmored(_ start: [UInt8], name: String) throws {
    guard start.starts(with: armorLine) else { return }
    throw CellarError.usage(
      "\(name) is an ASCII-armored age file (age -a): decrypt it with age -d, or encrypt it without -a")
  }

  func read(at offset: Int64, count: Int) throws -> [UInt8] {
    do {
      return try file.read(at: offset, count: count)
    } catch let error as AgeError {
      throw ArchiveError.source(message: "\(name): \(error.localizedDescription)")
    }
  }

  func source(from offset: Int64) -> any ArchiveSource {
    WindowedSource(bytes: self, offset: offset)
  }
}

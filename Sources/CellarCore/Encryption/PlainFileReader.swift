// CellarCore: a file read front to back as the plain bytes it holds, decrypted on the way when it
// is an age file (an encrypted sidecar).
import AgeKit
import Foundation

/// Reads a file in order; an age-encrypted one is decrypted with the command's identities
/// (`Keyring`), each chunk authenticated before its bytes are handed out.
final class PlainFileReader {
  private let next: () throws -> [UInt8]
  private var pending: [UInt8] = []
  /// Whether the file is encrypted.
  let isEncrypted: Bool

  /// Opens `path`, called `name` in messages.
  ///
  /// - Throws: `CellarError.usage` when the file cannot be opened, or is encrypted and no
  ///   identity was given; `AgeError` when no identity opens it.
  init(path: String, name: String) throws {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw CellarError.usage("cannot read \(name)")
    }
    let read = {
      do {
        return Array(try handle.read(upToCount: 1 << 16) ?? Data())
      } catch {
        throw CellarError.failed("cannot read \(name): \(error)")
      }
    }
    var first = try read()
    try AgeArchiveBytes.refuseArmored(first, name: name)
    isEncrypted = AgeFormat.isAge(first)
    guard isEncrypted else {
      pending = first
      next = read
      return
    }
    let decrypted = try AgeDecryptingReader(identities: try Keyring.identities(for: name)) {
      defer { first = [] }
      return first.isEmpty ? try read() : first
    }
    next = { try decrypted.next() }
  }

  /// Up to `count` bytes, fewer only at the end (none there).
  func read(upTo count: Int) throws -> [UInt8] {
    while pending.count < count {
      let more = try next()
      if more.isEmpty { break }
      pending += more
    }
    let piece = Array(pending.prefix(count))
    pending.removeFirst(piece.count)
    return piece
  }
}

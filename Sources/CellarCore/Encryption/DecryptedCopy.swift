// CellarCore: a plain copy of an encrypted sidecar, for readers that jump around in it (the base
// of an incremental backup re-reads node lines by offset).
import AgeKit
import Foundation

/// Decrypts a whole file into a nameless temporary one.
enum DecryptedCopy {
  /// The plain content of the file at `path` (called `name` in messages) when it is
  /// age-encrypted, in a temporary file; nil when it is not encrypted.
  static func of(_ path: String, name: String) throws -> TemporaryFile? {
    let file: PlainFileReader
    do {
      file = try PlainFileReader(path: path, name: name)
    } catch let error as AgeError {
      throw CellarError.failed("\(name): \(error.localizedDescription)")
    }
    guard file.isEncrypted else { return nil }
    let copy = try TemporaryFile(prefix: "cellar-plain")
    do {
      while true {
        let chunk = try file.read(upTo: 1 << 20)
        if chunk.isEmpty { break }
        try copy.handle.write(contentsOf: chunk)
      }
    } catch {
      copy.close()
      if let error = error as? AgeError { throw CellarError.failed("\(name): \(error.localizedDescription)") }
      throw error
    }
    return copy
  }
}

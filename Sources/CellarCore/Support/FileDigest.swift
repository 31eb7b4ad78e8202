// CellarCore: the SHA-256 of a local file, read in 1 MiB pieces.
import Foundation
import HashKit

/// Hashes local files.
enum FileDigest {
  /// The SHA-256 of the file at `path`, hex; nil when it cannot be opened.
  static func sha256(ofFileAt path: String) throws -> String? {
    guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
    defer { try? handle.close() }
    let hash = try SHA256()
    while let data = try handle.read(upToCount: 1 << 20), !data.isEmpty {
      try data.withUnsafeBytes { try hash.update($0) }
    }
    return try hash.finalize().hex
  }
}

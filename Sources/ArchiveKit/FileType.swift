// ArchiveKit: libarchive's file type codes.
#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Musl)
  internal import Musl
#elseif canImport(Darwin)
  internal import Darwin
#endif

/// The `AE_IF*` file type values of archive_entry.h.
///
/// Swift cannot import them because their macros contain a cast. They are the POSIX `S_IF*`
/// values on every platform libarchive supports.
enum FileType {
  static let mask: mode_t = 0o170000
  static let regular: mode_t = 0o100000
  static let directory: mode_t = 0o040000
  static let symlink: mode_t = 0o120000
  static let socket: mode_t = 0o140000
  static let characterDevice: mode_t = 0o020000
  static let blockDevice: mode_t = 0o060000
  static let fifo: mode_t = 0o010000

  /// A short name for a type the reader refuses.
  static func name(of type: mode_t) -> String {
    switch type & mask {
    case symlink: "symbolic link"
    case socket: "socket"
    case characterDevice: "character device"
    case blockDevice: "block device"
    case fifo: "FIFO"
    case regular: "regular file"
    case directory: "directory"
    default: "unknown type 0o\(String(type & mask, radix: 8))"
    }
  }
}

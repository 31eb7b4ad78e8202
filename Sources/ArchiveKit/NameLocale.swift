// ArchiveKit: the character set libarchive assumes for member names, per thread.
//
// libarchive converts names between the archive's charset and "the current locale" (LC_CTYPE),
// and a Swift program normally runs in the C locale, where every non-ASCII name fails to convert.
// Setting the process locale would be a global side effect, so instead each libarchive call runs
// with a per-thread locale (`uselocale`), restored before returning. libarchive remembers the
// charset of the first conversion per archive handle, so each handle sticks to one locale.
//
// Which locale, measured with libarchive 3.6.2 (see the tests):
// - Writing uses a UTF-8 locale and passes names as raw bytes (`archive_entry_copy_pathname`):
//   pax then stores them as UTF-8 and zip sets its UTF-8 flag, byte for byte. (Passing them
//   through `archive_entry_update_pathname_utf8` instead would normalise NFD names to NFC.)
// - Reading a zip also needs the UTF-8 locale (in the C locale libarchive drops every non-ASCII
//   zip name). libarchive then normalises names to NFC: any conversion *from* UTF-8 does, and
//   zip names flagged UTF-8 always go through one. NFD names in zips therefore come back NFC
//   from libarchive; ArchiveReader takes the stored bytes from the central directory instead
//   (ZipCentralDirectory.swift).
// - Reading tar uses the C locale: pax names fail the (useless) UTF-8 → ASCII conversion, and
//   libarchive then keeps the original bytes with an ARCHIVE_WARN, so NFD names stay NFD.
#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Musl)
  internal import Musl
#elseif canImport(Darwin)
  internal import Darwin
#endif

/// A per-thread LC_CTYPE locale to run libarchive calls under.
struct NameLocale: @unchecked Sendable {
  // @unchecked: a locale_t is an immutable C object once created; these two are created once,
  // never freed, and `uselocale` may install the same object on any number of threads.
  private let handle: locale_t?

  /// A UTF-8 LC_CTYPE, or `nil` where none is installed (then the process locale is used).
  static let utf8: NameLocale = {
    // glibc ships C.UTF-8 (2.35+, and Debian long before); macOS calls it "UTF-8".
    let candidates: [String] = ["C.UTF-8", "C.utf8", "en_US.UTF-8", "UTF-8"]
    for name in candidates {
      if let handle = newlocale(ctypeMask, name, nil) { return NameLocale(handle: handle) }
    }
    return NameLocale(handle: nil)
  }()

  /// The C (POSIX) LC_CTYPE.
  static let posix = NameLocale(handle: newlocale(ctypeMask, "C", nil))

  private static var ctypeMask: Int32 {
    #if canImport(Darwin)
      LC_CTYPE_MASK
    #else
      Int32(1) << LC_CTYPE
    #endif
  }

  /// Runs `body` with this locale installed on the calling thread, then restores the previous one.
  func run<T>(_ body: () throws -> T) rethrows -> T {
    guard let handle else { return try body() }
    let previous = uselocale(handle)
    defer { uselocale(previous) }
    return try body()
  }
}

// ArchiveKit: the one place that decides which member names are safe.
//
// Both directions use the same rules, so that whatever cellar writes it can read back:
// - names are relative and `/`-separated; a leading `/` (absolute) is refused;
// - a `..` component is refused anywhere, even where it would stay inside the tree ("a/../b"),
//   because a restore maps names onto remote paths and must never have to resolve them;
// - NUL is refused by the writer. The reader cannot see NUL at all: libarchive hands names over
//   as C strings, so a name stored as "a\0../../x" arrives as "a" (tar truncates the header
//   field, zip and pax values are copied up to the first NUL). What arrives is then checked
//   like any other name, so the hidden tail can do no harm.
// - bytes that are not UTF-8 are refused by the reader (the writer only ever gets a String).
// The writer is strict (no `.` or empty components) so that it only produces canonical names;
// the reader is lenient where other tools are ("./a", "a//b", a directory's "a/").
/// The rules for member names (see above), for the archive reader and writer and for the
/// manifest paths restore follows.
public enum MemberName {
  /// Checks a name given to the writer and returns the bytes to store.
  ///
  /// A directory's name gets exactly one trailing `/`, which is how tar and zip mark folders;
  /// the caller may pass it with or without one.
  static func forWriting(_ path: String, isDirectory: Bool) throws -> [UInt8] {
    var bytes = Array(path.utf8)
    if isDirectory, bytes.last == UInt8(ascii: "/") { bytes.removeLast() }
    if let reason = problem(inWritten: bytes) {
      throw ArchiveError.unsafeMemberName(name: path, reason: reason)
    }
    if isDirectory { bytes.append(UInt8(ascii: "/")) }
    return bytes
  }

  /// What is wrong with `path` as a canonical member name, or nil when it is fine.
  ///
  /// Canonical is what cellar writes and what a manifest must name; manifest paths are held to
  /// this rule before a restore writes anywhere.
  public static func problem(in path: String) -> String? {
    problem(inWritten: Array(path.utf8))
  }

  /// What is wrong with a name for writing, or `nil` when it is fine.
  private static func problem(inWritten bytes: [UInt8]) -> String? {
    if bytes.isEmpty { return "the name is empty" }
    if bytes.contains(0) { return "the name contains a NUL byte" }
    if bytes.first == UInt8(ascii: "/") { return "the name is absolute" }
    for component in bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
      if component.isEmpty { return "the name has an empty component (\"//\" or a trailing \"/\")" }
      if component.elementsEqual(".".utf8) { return "the name has a \".\" component" }
      if component.elementsEqual("..".utf8) { return "the name has a \"..\" component" }
    }
    return nil
  }

  /// The outcome of checking a name found in an archive.
  enum ReadResult: Equatable {
    /// A safe relative path, normalised.
    case path(String)
    /// The name is the archive's root ("./" or "."): nothing to create, skip the member.
    case root
  }

  /// Checks and normalises a name read from an archive.
  static func forReading(_ bytes: [UInt8], isDirectory: Bool) throws -> ReadResult {
    guard let name = String(validating: bytes, as: UTF8.self) else {
      throw ArchiveError.unsafeMemberName(
        name: String(decoding: bytes, as: UTF8.self), reason: "the name is not valid UTF-8")
    }
    if bytes.first == UInt8(ascii: "/") {
      throw ArchiveError.unsafeMemberName(name: name, reason: "the name is absolute")
    }
    var kept: [ArraySlice<UInt8>] = []
    for component in bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true) {
      if component.elementsEqual("..".utf8) {
        throw ArchiveError.unsafeMemberName(name: name, reason: "the name has a \"..\" component")
      }
      if !component.elementsEqual(".".utf8) { kept.append(component) }
    }
    if kept.isEmpty {
      if isDirectory { return .root }
      throw ArchiveError.unsafeMemberName(name: name, reason: "the name is empty")
    }
    if !isDirectory, bytes.last == UInt8(ascii: "/") {
      throw ArchiveError.unsafeMemberName(name: name, reason: "a file name ends with \"/\"")
    }
    let joined = kept.joined(separator: [UInt8(ascii: "/")])
    return .path(String(decoding: Array(joined), as: UTF8.self))
  }
}

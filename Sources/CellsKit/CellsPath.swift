// CellsKit: the one path type of cellar: a node's place in a Cells tree.
//
// Cells paths are compared as UTF-8 bytes, never by Swift's String ==, which treats the NFC and
// NFD spellings of "café" as equal: on the server they are two different nodes.

/// A path in a Cells tree as cellar records it: `workspace/folder/name`, no leading or trailing
/// slash; the empty path is the root above every workspace.
///
/// Equality and hashing are on the UTF-8 bytes.
public struct CellsPath: Sendable, Hashable, CustomStringConvertible {
  /// The path, without leading or trailing slashes.
  public let string: String

  /// `path` with its leading and trailing slashes removed.
  public init(_ path: String) {
    let slash = UInt8(ascii: "/")
    var bytes = path.utf8[...]
    while bytes.first == slash { bytes.removeFirst() }
    while bytes.last == slash { bytes.removeLast() }
    string = bytes.count == path.utf8.count ? path : String(decoding: bytes, as: UTF8.self)
  }

  /// The root above every workspace.
  public static let root = CellsPath("")

  /// Whether this is the root.
  public var isRoot: Bool { string.isEmpty }

  /// The names from the top down (empty ones, from `a//b`, left out).
  ///
  /// Split on the byte `/`: a combining mark after a slash belongs to the name that follows.
  public var segments: [String] {
    string.utf8.split(separator: UInt8(ascii: "/")).map { String(decoding: $0, as: UTF8.self) }
  }

  /// The first segment: the workspace slug (user context) or datasource (admin context).
  public var workspace: String? { segments.first }

  /// The last segment ("" for the root).
  public var name: String {
    guard let slash = string.utf8.lastIndex(of: UInt8(ascii: "/")) else { return string }
    return String(decoding: string.utf8[string.utf8.index(after: slash)...], as: UTF8.self)
  }

  /// The folder holding this path (the root for a workspace, and for the root itself).
  public var parent: CellsPath {
    guard let slash = string.utf8.lastIndex(of: UInt8(ascii: "/")) else { return .root }
    return CellsPath(trimmed: String(decoding: string.utf8[..<slash], as: UTF8.self))
  }

  /// Every folder above this path, the nearest first, the root left out.
  public var ancestors: [CellsPath] {
    var found: [CellsPath] = []
    var path = parent
    while !path.isRoot {
      found.append(path)
      path = path.parent
    }
    return found
  }

  /// This path with `relative` below it (either may be empty).
  public func appending(_ relative: String) -> CellsPath {
    let child = CellsPath(relative)
    if isRoot { return child }
    if child.isRoot { return self }
    return CellsPath(trimmed: string + "/" + child.string)
  }

  /// Whether `other` is this path or lies below it; everything lies below the root.
  public func contains(_ other: CellsPath) -> Bool {
    if isRoot { return true }
    let bytes = other.string.utf8
    guard bytes.starts(with: string.utf8) else { return false }
    let rest = bytes.dropFirst(string.utf8.count)
    return rest.isEmpty || rest.first == UInt8(ascii: "/")
  }

  /// `other` relative to this path ("" for this path itself), or nil when it is not below it.
  public func relative(_ other: CellsPath) -> String? {
    guard contains(other) else { return nil }
    if isRoot { return other.string }
    return String(
      decoding: other.string.utf8.dropFirst(string.utf8.count).drop { $0 == UInt8(ascii: "/") }, as: UTF8.self)
  }

  /// The path as written.
  public var description: String { string }

  /// Byte equality (see the type's comment).
  public static func == (lhs: CellsPath, rhs: CellsPath) -> Bool {
    lhs.string.utf8.elementsEqual(rhs.string.utf8)
  }

  /// Hashes the bytes.
  public func hash(into hasher: inout Hasher) {
    var bytes = string
    bytes.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
  }

  private init(trimmed: String) { string = trimmed }
}

// CellarCore: one glob, compiled to segments and matched on bytes.

/// A glob over slash-separated paths; see `PathFilter` for the syntax.
public struct GlobPattern: Sendable, Equatable {
  /// Why a pattern cannot be used.
  public enum Problem: Error, Equatable, CustomStringConvertible {
    /// An empty pattern.
    case empty
    /// A `[` without its `]`.
    case unclosedClass(String)

    /// One line for the user.
    public var description: String {
      switch self {
      case .empty: "empty pattern"
      case .unclosedClass(let pattern): "unclosed [ in pattern \(pattern)"
      }
    }
  }

  private enum Segment: Equatable {
    case anyDepth
    case bytes([UInt8])
  }

  /// The pattern as given.
  public let text: String
  private let segments: [Segment]

  /// Compiles `text`.
  public init(_ text: String) throws {
    var trimmed = Substring(text)
    while trimmed.hasPrefix("/") { trimmed.removeFirst() }
    while trimmed.hasSuffix("/") { trimmed.removeLast() }
    guard !trimmed.isEmpty else { throw Problem.empty }
    self.text = text
    var parts = trimmed.split(separator: "/", omittingEmptySubsequences: true).map { part -> Segment in
      part == "**" ? .anyDepth : .bytes(Array(part.utf8))
    }
    for case .bytes(let bytes) in parts where !Self.classesAreClosed(bytes) {
      throw Problem.unclosedClass(text)
    }
    // No "/": the name may sit at any depth.
    if !trimmed.contains("/") { parts.insert(.anyDepth, at: 0) }
    segments = parts
  }

  /// The one path this pattern matches, when it has no glob character and is anchored (has a
  /// "/"): such a pattern can be looked up rather than matched.
  public var literal: String? {
    guard text.contains("/"), !text.contains(where: { "*?[".contains($0) }) else { return nil }
    return segments.map { segment -> String in
      if case .bytes(let bytes) = segment { return String(decoding: bytes, as: UTF8.self) }
      return "**"
    }.joined(separator: "/")
  }

  /// Whether `path` (relative, "/"-separated) matches.
  public func matches(_ path: String) -> Bool {
    let names = path.split(separator: "/", omittingEmptySubsequences: true).map { Array($0.utf8) }
    return match(segments[...], names[...])
  }

  private func match(_ pattern: ArraySlice<Segment>, _ names: ArraySlice<[UInt8]>) -> Bool {
    guard let first = pattern.first else { return names.isEmpty }
    switch first {
    case .anyDepth:
      var rest = names
      while true {
        if match(pattern.dropFirst(), rest) { return true }
        guard !rest.isEmpty else { return false }
        rest = rest.dropFirst()
      }
    case .bytes(let glob):
      guard let name = names.first, Self.matchName(glob[...], name[...]) else { return false }
      return match(pattern.dropFirst(), names.dropFirst())
    }
  }

  /// `*`, `?` and `[…]` within one name.
  private static func matchName(_ glob: ArraySlice<UInt8>, _ name: ArraySlice<UInt8>) -> Bool {
    guard let token = glob.first else { return name.isEmpty }
    switch token {
    case UInt8(ascii: "*"):
      var rest = name
      while true {
        if matchName(glob.dropFirst(), rest) { return true }
        guard !rest.isEmpty else { return false }
        rest = rest.dropFirst()
      }
    case UInt8(ascii: "?"):
      return !name.isEmpty && matchName(glob.dropFirst(), name.dropFirst())
    case UInt8(ascii: "["):
      guard let byte = name.first, let close = glob.dropFirst(2).firstIndex(of: UInt8(ascii: "]")) else {
        return false
      }
      var members = glob[(glob.startIndex + 1)..<close]
      let negated = members.first == UInt8(ascii: "!") || members.first == UInt8(ascii: "^")
      if negated { members = members.dropFirst() }
      guard classContains(members, byte) != negated else { return false }
      return matchName(glob[(close + 1)...], name.dropFirst())
    default:
      return name.first == token && matchName(glob.dropFirst(), name.dropFirst())
    }
  }

  private static func classContains(_ members: ArraySlice<UInt8>, _ byte: UInt8) -> Bool {
    var index = members.startIndex
    while index < members.endIndex {
      let low = members[index]
      let dash = members.index(after: index)
      if dash < members.endIndex, members[dash] == UInt8(ascii: "-"), members.index(after: dash) < members.endIndex {
        let high = members[members.index(after: dash)]
        if low <= byte && byte <= high { return true }
        index = members.index(dash, offsetBy: 2)
      } else {
        if low == byte { return true }
        index = dash
      }
    }
    return false
  }

  private static func classesAreClosed(_ bytes: [UInt8]) -> Bool {
    var index = 0
    while index < bytes.count {
      if bytes[index] == UInt8(ascii: "[") {
        guard let close = bytes[min(index + 2, bytes.count)...].firstIndex(of: UInt8(ascii: "]")) else { return false }
        index = close
      }
      index += 1
    }
    return true
  }
}

// CellsSandbox: strict reading of REST request bodies, as protobuf-JSON decoding does.
import Foundation

/// A decoded JSON object from a request body that rejects fields its message does not declare
/// (the server's protobuf decoding refuses unknown fields, answered with HTTP 500 on v2–v4:
/// docs/cells-protocol.md, "Wire format").
struct JSONInput {
  let fields: [String: Any]

  /// Parses `body` as a JSON object whose keys must all be in `allowed`.
  ///
  /// An empty body is `{}`.
  init(body: [UInt8], allowed: Set<String>, message: String) throws {
    if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
      try self.init(object: [:], allowed: allowed, message: message)
      return
    }
    let parsed: Any
    do {
      parsed = try JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])
    } catch {
      throw SandboxError.badInput("invalid JSON for \(message)")
    }
    guard let object = parsed as? [String: Any] else {
      throw SandboxError.badInput("\(message) must be a JSON object")
    }
    try self.init(object: object, allowed: allowed, message: message)
  }

  /// Wraps an already decoded object, checking its keys.
  init(object: [String: Any], allowed: Set<String>, message: String) throws {
    for key in object.keys where !allowed.contains(key) {
      throw SandboxError.badInput("unknown field \"\(key)\" in \(message)")
    }
    self.fields = object
  }

  func string(_ key: String) throws -> String? {
    guard let raw = fields[key], !(raw is NSNull) else { return nil }
    guard let s = raw as? String else { throw SandboxError.badInput("\(key) must be a string") }
    return s
  }

  /// An int32 or int64: protobuf-JSON accepts a number or a decimal string for either.
  func int(_ key: String) throws -> Int64? {
    guard let raw = fields[key], !(raw is NSNull) else { return nil }
    if let s = raw as? String {
      guard let n = Int64(s) else { throw SandboxError.badInput("\(key) is not an integer") }
      return n
    }
    if let n = raw as? NSNumber, !Self.isBool(n) { return n.int64Value }
    throw SandboxError.badInput("\(key) must be an integer")
  }

  func bool(_ key: String) throws -> Bool {
    guard let raw = fields[key], !(raw is NSNull) else { return false }
    if let n = raw as? NSNumber, Self.isBool(n) { return n.boolValue }
    throw SandboxError.badInput("\(key) must be a boolean")
  }

  func strings(_ key: String) throws -> [String] {
    guard let raw = fields[key], !(raw is NSNull) else { return [] }
    guard let list = raw as? [Any], let strings = list as? [String] else {
      throw SandboxError.badInput("\(key) must be an array of strings")
    }
    return strings
  }

  func stringMap(_ key: String) throws -> [String: String] {
    guard let raw = fields[key], !(raw is NSNull) else { return [:] }
    guard let map = raw as? [String: Any] else {
      throw SandboxError.badInput("\(key) must be an object")
    }
    var result: [String: String] = [:]
    for (k, v) in map {
      guard let s = v as? String else { throw SandboxError.badInput("\(key).\(k) must be a string") }
      result[k] = s
    }
    return result
  }

  func object(_ key: String, allowed: Set<String>) throws -> JSONInput? {
    guard let raw = fields[key], !(raw is NSNull) else { return nil }
    guard let object = raw as? [String: Any] else {
      throw SandboxError.badInput("\(key) must be an object")
    }
    return try JSONInput(object: object, allowed: allowed, message: key)
  }

  func objects(_ key: String, allowed: Set<String>) throws -> [JSONInput] {
    guard let raw = fields[key], !(raw is NSNull) else { return [] }
    guard let list = raw as? [Any] else { throw SandboxError.badInput("\(key) must be an array") }
    return try list.map { item in
      guard let object = item as? [String: Any] else {
        throw SandboxError.badInput("\(key) items must be objects")
      }
      return try JSONInput(object: object, allowed: allowed, message: key)
    }
  }

  /// A node type given as its enum name or number (protobuf-JSON accepts both).
  func nodeType(_ key: String) throws -> NodeType? {
    guard let raw = fields[key], !(raw is NSNull) else { return nil }
    if let s = raw as? String {
      switch s {
      case "UNKNOWN": return nil
      case "LEAF": return .leaf
      case "COLLECTION": return .collection
      default: throw SandboxError.badInput("unknown node type \(s)")
      }
    }
    if let n = raw as? NSNumber, !Self.isBool(n) {
      switch n.intValue {
      case 0: return nil
      case 1: return .leaf
      case 2: return .collection
      default: throw SandboxError.badInput("unknown node type \(n)")
      }
    }
    throw SandboxError.badInput("\(key) must be a node type")
  }

  /// Foundation decodes JSON true/false as NSNumber too, of a distinct boolean class whose
  /// Objective-C type is "c"; numbers in a JSON text never get that type.
  private static func isBool(_ n: NSNumber) -> Bool {
    String(cString: n.objCType) == "c"
  }
}

/// The fields of `tree.Node` that a request may carry.
let treeNodeFields: Set<String> = [
  "Uuid", "Path", "Type", "Size", "MTime", "Mode", "Etag", "MetaStore", "Commits", "AppearsIn",
  "ModeString",
]

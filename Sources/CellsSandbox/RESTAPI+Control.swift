// CellsSandbox: sandbox-only admin endpoints under `/a/sandbox/`: faults, token expiry, dump.
import Foundation
import GRDB
import HashKit

extension RESTAPI {
  /// `POST /a/sandbox/faults` (admin): replaces the injected faults.
  ///
  /// Body, every field optional:
  /// `{"LatencyMs": 50, "FailRate": 0.1, "Shapes": ["error", "cut"], "Operations": ["ListObjectsV2"],
  /// "StallSeconds": 3, "CutRate": 0.2, "DenyPrefixes": ["ws/x"], "Seed": 7}`.
  func setFaults(_ user: User, _ body: [UInt8]) throws -> JSONValue {
    try requireAdmin(user)
    let input = try JSONInput(
      body: body,
      allowed: [
        "LatencyMs", "FailRate", "Shapes", "Operations", "StallSeconds", "CutRate", "DenyPrefixes", "Seed",
        "CountsFolderMarkers",
      ],
      message: "sandboxFaults")
    var settings = FaultSettings()
    settings.latencyMilliseconds = Int(try input.int("LatencyMs") ?? 0)
    settings.failRate = try Self.fraction(input, "FailRate")
    if input.fields["Shapes"] != nil {
      settings.shapes = try input.strings("Shapes").map { name in
        guard let shape = FaultShape(rawValue: name) else {
          throw SandboxError.badInput("unknown fault shape \(name); known: \(FaultShape.allNames)")
        }
        return shape
      }
    }
    settings.operations = try input.strings("Operations")
    if let stall = input.fields["StallSeconds"] {
      guard let seconds = stall as? NSNumber, seconds.doubleValue >= 0 else {
        throw SandboxError.badInput("StallSeconds must be a positive number")
      }
      settings.stallSeconds = seconds.doubleValue
    }
    settings.cutRate = try Self.fraction(input, "CutRate")
    settings.deniedPrefixes = try input.strings("DenyPrefixes")
    settings.seed = UInt64(max(0, try input.int("Seed") ?? 1))
    settings.countsFolderMarkers = try input.bool("CountsFolderMarkers")
    faults.update(settings)
    return .object([("Success", .bool(true))])
  }

  private static func fraction(_ input: JSONInput, _ key: String) throws -> Double {
    guard let raw = input.fields[key] else { return 0 }
    guard let number = raw as? NSNumber, (0...1).contains(number.doubleValue) else {
      throw SandboxError.badInput("\(key) must be a number between 0 and 1")
    }
    return number.doubleValue
  }

  /// `POST /a/sandbox/expire-tokens` (admin): `{"Login": "alice"}` expires alice's tokens now,
  /// `{}` every token (the caller's included).
  func expireTokens(_ user: User, _ body: [UInt8]) throws -> JSONValue {
    try requireAdmin(user)
    let input = try JSONInput(body: body, allowed: ["Login"], message: "sandboxExpireTokens")
    let login = try input.string("Login")
    try store.expireTokens(of: login?.isEmpty == false ? login : nil)
    return .object([("Success", .bool(true))])
  }

  /// `GET /a/sandbox/dump` (admin): every node of every datasource with its SHA-256, so tests
  /// can compare a tree before a backup and after a restore.
  func dump(_ user: User) throws -> JSONValue {
    try requireAdmin(user)
    return try store.read { db in
      var nodes: [JSONValue] = []
      for ds in try String.fetchAll(db, sql: "SELECT name FROM datasources ORDER BY name") {
        for node in try Store.descendants(db, ds: ds, path: "") {
          var meta = node.meta.filter { !$0.key.hasPrefix("pydio:") }
          for row in try Row.fetchAll(
            db, sql: "SELECT namespace, value, owner FROM usermeta WHERE node = ?", arguments: [node.uuid])
          {
            let namespace: String = row["namespace"]
            let key = namespace == Self.bookmarkNamespace ? "bookmark:\(row["owner"] as String)" : namespace
            meta[key] = row["value"]
          }
          var out = JSONObjectBuilder()
          out.string("Path", Node.join(ds, node.path))
          out.string("Uuid", node.uuid)
          out.string("Type", node.type.jsonName)
          out.int64("Size", node.size)
          if let blob = node.blob { out.string("Sha256", try store.blobs.sha256(of: blob)) }
          out.map("MetaStore", meta.sorted { $0.key < $1.key })
          nodes.append(out.object)
        }
      }
      var out = JSONObjectBuilder()
      out.array("Nodes", nodes)
      return out.object
    }
  }
}

extension BlobStore {
  /// The SHA-256 of a stored content, read in 1 MiB pieces.
  func sha256(of id: String) throws -> String {
    let hash = try SHA256()
    let handle = try FileHandle(forReadingFrom: url(of: id))
    defer { try? handle.close() }
    while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
      try chunk.withUnsafeBytes { try hash.update($0) }
    }
    return try hash.finalize().hex
  }
}

// CellsSandbox: initial content of a sandbox: users, workspaces, namespaces, folders and files.
import Foundation
import GRDB
import HashKit

/// What a sandbox holds when it starts: users (each with a fixed token), extra workspaces and
/// user-meta namespaces, and nodes given by **datasource path** (`pydiods1/docs/a.txt`,
/// `personal/alice/notes.txt`), so seeds need no user to resolve them.
///
/// Seeds come from Swift (`.minimal`, `.demo`, or built in a test) or from a JSON file
/// (`Seed(contentsOf:)`, format in `SeedFile`).
public struct Seed: Sendable {
  /// The bytes of a seeded file.
  public enum Content: Sendable, Equatable {
    /// UTF-8 text.
    case text(String)
    /// Deterministic pseudo-random bytes of this size, a function of the path only.
    case generated(size: Int64)
  }

  /// A folder or file to create.
  public struct Entry: Sendable {
    /// Datasource path: `<datasource>/<path inside>`.
    public var path: String
    /// The file's bytes; nil for a folder.
    public var content: Content?
    /// The `mime` of a file.
    public var mime: String
    /// MetaStore values (JSON text).
    ///
    /// `usermeta-*` keys become user metadata (docs/cells-protocol.md, "User metadata"), others are stored on the node.
    public var meta: [String: String]
    /// Users who bookmarked it.
    public var bookmarkedBy: [String]

    /// A folder.
    public static func folder(_ path: String, meta: [String: String] = [:]) -> Entry {
      Entry(path: path, content: nil, mime: "", meta: meta, bookmarkedBy: [])
    }

    /// A file.
    public static func file(
      _ path: String, _ content: Content, mime: String = "application/octet-stream",
      meta: [String: String] = [:], bookmarkedBy: [String] = []
    ) -> Entry {
      Entry(path: path, content: content, mime: mime, meta: meta, bookmarkedBy: bookmarkedBy)
    }
  }

  /// A user-meta namespace definition.
  public struct Namespace: Sendable {
    /// `usermeta-<something>`.
    public var name: String
    /// The display label.
    public var label: String
    /// The `JsonDefinition`, such as `{"type":"tags"}`.
    public var definition: String

    /// Describes a namespace.
    public init(name: String, label: String, definition: String) {
      self.name = name
      self.label = label
      self.definition = definition
    }
  }

  /// Users, each given the fixed token `Seed.token(for:)`.
  public var users: [User]
  /// Workspaces beside `common-files` and `personal-files`.
  public var workspaces: [Workspace]
  /// User-meta namespaces beside `usermeta-tags`.
  public var namespaces: [Namespace]
  /// Folders and files, created in order.
  public var entries: [Entry]

  /// Creates a seed.
  public init(
    users: [User], workspaces: [Workspace] = [], namespaces: [Namespace] = [], entries: [Entry] = []
  ) {
    self.users = users
    self.workspaces = workspaces
    self.namespaces = namespaces
    self.entries = entries
  }

  /// The fixed token of a seeded user: opaque hex derived from the login, never expiring, so
  /// tests and the demo can print and reuse it.
  public static func token(for login: String) -> String {
    (try? SHA256.hash("cells-sandbox-token:" + login).hex) ?? login
  }

  // MARK: - Applying

  /// Writes the seed into `store`, unless that directory was already seeded (a restart).
  func apply(to store: Store, now: Int64) throws {
    let marker = store.directory.appendingPathComponent("seeded")
    guard !FileManager.default.fileExists(atPath: marker.path) else { return }
    for user in users {
      try store.addUser(user)
      try store.addToken(Self.token(for: user.login), for: user.login)
      try store.write { db in
        _ = try store.makeFolders(db, ds: "personal", path: user.login, now: now)
      }
    }
    for ws in workspaces { try store.addWorkspace(ws) }
    for ns in namespaces { try store.addNamespace(ns.name, label: ns.label, definition: ns.definition) }
    for entry in entries { try apply(entry, to: store, now: now) }
    try Data().write(to: marker)
  }

  private func apply(_ entry: Entry, to store: Store, now: Int64) throws {
    let ds = String(entry.path.prefix { $0 != "/" })
    let path = UserPath.trim(String(entry.path.dropFirst(ds.count)))
    try store.addDatasource(ds)
    var node: Node?
    if let content = entry.content {
      node = try store.putFile(
        ds: ds, path: path,
        content: try Self.materialize(content, path: entry.path, store: store, mime: entry.mime),
        now: now)
    } else {
      node = try store.write { db in try store.makeFolders(db, ds: ds, path: path, now: now) }
    }
    guard let node else { return }
    try store.write { db in
      var stored = node
      for (key, value) in entry.meta where !key.hasPrefix("usermeta-") { stored.meta[key] = value }
      try Store.save(db, stored)
      for (key, value) in entry.meta where key.hasPrefix("usermeta-") {
        try db.execute(
          sql: "INSERT INTO usermeta VALUES (?, ?, ?, ?, ?)",
          arguments: [UUID().uuidString.lowercased(), node.uuid, key, value, "admin"])
        // Tags namespaces keep a vocabulary of every value used (docs/cells-protocol.md, "User metadata").
        let definition = try String.fetchOne(
          db, sql: "SELECT definition FROM namespaces WHERE namespace = ?", arguments: [key])
        if definition?.contains("\"tags\"") == true,
          let text =
            (try? JSONSerialization.jsonObject(
              with: Data(value.utf8), options: [.fragmentsAllowed])) as? String
        {
          for tag in text.split(separator: ",") {
            try db.execute(sql: "INSERT OR IGNORE INTO tags VALUES (?, ?)", arguments: [key, String(tag)])
          }
        }
      }
      for login in entry.bookmarkedBy {
        try db.execute(
          sql: "INSERT INTO usermeta VALUES (?, ?, 'bookmark', 'true', ?)",
          arguments: [UUID().uuidString.lowercased(), node.uuid, login])
      }
    }
  }

  /// Streams the content into a temporary file through the same hashing sink as uploads.
  private static func materialize(
    _ content: Content, path: String, store: Store, mime: String
  ) throws -> Store.FileContent {
    let sink = try UploadSink(file: store.blobs.temporaryFile(), awsChunked: false, wantsCRC32: false)
    do {
      switch content {
      case .text(let text):
        try Array(text.utf8).withUnsafeBytes { try sink.write($0) }
      case .generated(let size):
        var generator = GeneratedContent(path: path)
        var remaining = size
        while remaining > 0 {
          let chunk = generator.next(count: Int(min(remaining, 1 << 20)))
          try chunk.withUnsafeBytes { try sink.write($0) }
          remaining -= Int64(chunk.count)
        }
      }
      let result = try sink.finish()
      return Store.FileContent(
        file: sink.file, size: result.size, etag: result.md5, cellsHash: result.cellsHash, mime: mime)
    } catch {
      sink.discard()
      throw error
    }
  }
}

/// Deterministic bytes for generated seed files: SplitMix64 seeded with the FNV-1a hash of the
/// path, so the same path and size always give the same content.
struct GeneratedContent {
  private var state: UInt64

  init(path: String) {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in path.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    state = hash
  }

  mutating func next(count: Int) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: (count + 7) / 8 * 8)
    out.withUnsafeMutableBytes { raw in
      // Eight bytes per draw, stored whole: fast enough in debug builds for 30 MiB seeds.
      for offset in stride(from: 0, to: raw.count, by: 8) {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        raw.storeBytes(of: z.littleEndian, toByteOffset: offset, as: UInt64.self)
      }
    }
    return Array(out.prefix(count))
  }
}

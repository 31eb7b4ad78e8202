// CellsSandbox: the sandbox state: metadata in SQLite (through GRDB), file bytes in a blob folder.
import Foundation
import GRDB
import Synchronization

/// The persistent state of a sandbox, in a directory: `index.sqlite` for users, tokens,
/// workspaces, nodes and user metadata, `blobs/` for file contents, `tmp/` for uploads in flight.
///
/// Every change runs in one SQLite transaction on a serial `DatabaseQueue`, so concurrent requests
/// never see or leave a half-made change; a sandbox reopened on the same directory serves the
/// same tree.
public final class Store: Sendable {
  /// The state directory.
  public let directory: URL
  private let db: DatabaseQueue
  /// Commits concurrent uploads together (group commit).
  let batcher: WriteBatcher
  let blobs: BlobStore
  /// Tokens and workspaces as last committed, which every request needs.
  private let accounts: Mutex<Accounts>

  /// Opens (creating if needed) the state in `directory`.
  public init(directory: URL) throws {
    self.directory = directory
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    var config = Configuration()
    config.busyMode = .timeout(10)
    // WAL with NORMAL sync: crash-safe, and seeding thousands of nodes stays fast.
    config.prepareDatabase { db in
      try db.execute(sql: "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL")
    }
    // A serial queue, not a DatabasePool: request handlers read synchronously from the Swift
    // cooperative pool, and with a pool of readers that deadlocked under load on 2 cores (every
    // cooperative thread waiting for a reader). A queue only ever runs synchronous closures on
    // its own thread, so it always makes progress.
    let queue = try DatabaseQueue(
      path: directory.appendingPathComponent("index.sqlite").path, configuration: config)
    blobs = try BlobStore(directory: directory)
    try queue.write { db in try Self.migrate(db) }
    accounts = Mutex(try queue.read { db in try Accounts(db) })
    db = queue
    batcher = WriteBatcher(queue: queue)
  }

  /// Runs `body` on the queue, outside any transaction.
  ///
  /// Every write runs on the same serial queue, so `body` never sees half of a change; skipping the
  /// read-only transaction GRDB's `read` wraps around it saves four statements per call, and being
  /// synchronous it runs on the caller's thread instead of hopping to the queue's.
  func read<T>(_ body: (Database) throws -> T) throws -> T {
    try db.unsafeRead(body)
  }

  /// Runs `body` in a transaction on the queue, synchronously: called from async code, GRDB's
  /// `write` would suspend and resume on another thread.
  func write<T>(_ body: (Database) throws -> T) throws -> T {
    try db.write(body)
  }

  /// Commits `change` in a transaction, then reloads the accounts from what it committed.
  ///
  /// The reload runs on the queue too, so reloads replace one another in commit order.
  private func changeAccounts(_ change: (Database) throws -> Void) throws {
    try db.writeWithoutTransaction { db in
      try db.inTransaction {
        try change(db)
        return .commit
      }
      let reloaded = try Accounts(db)
      accounts.withLock { $0 = reloaded }
    }
  }

  private static func migrate(_ db: Database) throws {
    try db.execute(
      sql: """
        CREATE TABLE IF NOT EXISTS users(
          login TEXT PRIMARY KEY, password TEXT NOT NULL, admin INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS tokens(
          token TEXT PRIMARY KEY, login TEXT NOT NULL, expires REAL);
        CREATE TABLE IF NOT EXISTS workspaces(
          slug TEXT PRIMARY KEY, uuid TEXT NOT NULL, label TEXT NOT NULL, datasource TEXT NOT NULL,
          root TEXT NOT NULL, readers TEXT NOT NULL, writers TEXT NOT NULL, position INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS datasources(name TEXT PRIMARY KEY, versioning INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS versions(
          id TEXT PRIMARY KEY, node TEXT NOT NULL, blob TEXT NOT NULL, size INTEGER NOT NULL,
          mtime INTEGER NOT NULL, etag TEXT NOT NULL, hash TEXT NOT NULL, position INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS versions_by_node ON versions(node, position);
        CREATE TABLE IF NOT EXISTS nodes(
          uuid TEXT PRIMARY KEY, ds TEXT NOT NULL, path TEXT NOT NULL, parent TEXT NOT NULL,
          type INTEGER NOT NULL, size INTEGER NOT NULL, mtime INTEGER NOT NULL, etag TEXT NOT NULL,
          blob TEXT, meta TEXT NOT NULL, UNIQUE(ds, path));
        CREATE INDEX IF NOT EXISTS nodes_by_parent ON nodes(ds, parent, path);
        CREATE TABLE IF NOT EXISTS namespaces(
          namespace TEXT PRIMARY KEY, label TEXT NOT NULL, position INTEGER NOT NULL,
          indexable INTEGER NOT NULL, definition TEXT NOT NULL, policies TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS tags(namespace TEXT NOT NULL, tag TEXT NOT NULL,
          PRIMARY KEY(namespace, tag));
        CREATE TABLE IF NOT EXISTS usermeta(
          uuid TEXT PRIMARY KEY, node TEXT NOT NULL, namespace TEXT NOT NULL, value TEXT NOT NULL,
          owner TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS usermeta_by_node ON usermeta(node);
        CREATE TABLE IF NOT EXISTS uploads(
          id TEXT PRIMARY KEY, login TEXT NOT NULL, ds TEXT NOT NULL, path TEXT NOT NULL,
          key TEXT NOT NULL, mime TEXT NOT NULL, created INTEGER NOT NULL,
          placeholder TEXT);
        CREATE TABLE IF NOT EXISTS parts(
          upload TEXT NOT NULL, number INTEGER NOT NULL, size INTEGER NOT NULL, etag TEXT NOT NULL,
          blob TEXT NOT NULL, blocks TEXT NOT NULL, mtime INTEGER NOT NULL,
          PRIMARY KEY(upload, number));
        """)
  }

  // MARK: - Users and tokens

  /// Adds or replaces a user.
  public func addUser(_ user: User) throws {
    try changeAccounts { db in
      try db.execute(
        sql: "INSERT OR REPLACE INTO users(login, password, admin) VALUES (?, ?, ?)",
        arguments: [user.login, user.password, user.isAdmin])
    }
  }

  /// The user named `login`.
  public func user(_ login: String) throws -> User? {
    try read { db in
      try Row.fetchOne(db, sql: "SELECT * FROM users WHERE login = ?", arguments: [login]).map {
        User(login: $0["login"], password: $0["password"], isAdmin: $0["admin"])
      }
    }
  }

  /// All users, by login.
  public func users() throws -> [User] {
    try read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM users ORDER BY login").map {
        User(login: $0["login"], password: $0["password"], isAdmin: $0["admin"])
      }
    }
  }

  /// Issues a new opaque bearer token for `login`, valid until `expires` (Unix seconds) or forever.
  public func issueToken(for login: String, expires: Double?) throws -> String {
    let token = Self.randomToken()
    try changeAccounts { db in
      try db.execute(
        sql: "INSERT INTO tokens(token, login, expires) VALUES (?, ?, ?)",
        arguments: [token, login, expires])
    }
    return token
  }

  /// Stores a chosen token (seeds use fixed, documented tokens).
  public func addToken(_ token: String, for login: String, expires: Double? = nil) throws {
    try changeAccounts { db in
      try db.execute(
        sql: "INSERT OR REPLACE INTO tokens(token, login, expires) VALUES (?, ?, ?)",
        arguments: [token, login, expires])
    }
  }

  /// The user a token belongs to, nil when the token is unknown or expired at `now`.
  public func user(forToken token: String, now: Date = Date()) -> User? {
    guard let grant = accounts.withLock({ $0.grants[Array(token.utf8)] }) else { return nil }
    if let expires = grant.expires, expires <= now.timeIntervalSince1970 { return nil }
    return grant.user
  }

  /// Makes every token of `login` (or every token when nil) expire at `date`.
  public func expireTokens(of login: String?, at date: Date = Date()) throws {
    try changeAccounts { db in
      if let login {
        try db.execute(
          sql: "UPDATE tokens SET expires = ? WHERE login = ?",
          arguments: [date.timeIntervalSince1970, login])
      } else {
        try db.execute(sql: "UPDATE tokens SET expires = ?", arguments: [date.timeIntervalSince1970])
      }
    }
  }

  /// 32 random bytes in hex: opaque, unguessable, safe in an S3 access key.
  static func randomToken() -> String {
    var generator = SystemRandomNumberGenerator()
    return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }
      .joined()
  }

  // MARK: - Datasources and workspaces

  /// Declares a datasource (its root is virtual: `DATASOURCE:<name>`).
  ///
  /// With `versioning`, every upload keeps its content as a version (docs/cells-protocol.md, "Versions").
  public func addDatasource(_ name: String, versioning: Bool = false) throws {
    try write { db in
      try db.execute(
        sql: "INSERT OR IGNORE INTO datasources(name, versioning) VALUES (?, ?)",
        arguments: [name, versioning])
    }
  }

  static func isVersioned(_ db: Database, ds: String) throws -> Bool {
    try Bool.fetchOne(
      db.cachedStatement(sql: "SELECT versioning FROM datasources WHERE name = ?"), arguments: [ds])
      ?? false
  }

  /// Datasource names, sorted.
  public func datasources() throws -> [String] {
    try read { db in try String.fetchAll(db, sql: "SELECT name FROM datasources ORDER BY name") }
  }

  /// Adds or replaces a workspace.
  public func addWorkspace(_ ws: Workspace) throws {
    try changeAccounts { db in
      let position =
        try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(position), 0) + 1 FROM workspaces") ?? 1
      try db.execute(
        sql: """
          INSERT OR REPLACE INTO workspaces(slug, uuid, label, datasource, root, readers, writers, position)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          ws.slug, ws.uuid, ws.label, ws.datasource, ws.root, ws.readers.joined(separator: ","),
          ws.writers.joined(separator: ","), position,
        ])
    }
  }

  /// All workspaces, in creation order.
  public func workspaces() -> [Workspace] {
    accounts.withLock { $0.workspaces }
  }

  // MARK: - Namespaces

  /// Everyone may read and write: the policies Cells gives `usermeta-tags` by default.
  public static let openPolicies =
    #"[{"Action":"READ","Effect":"allow","Subject":"*"},{"Action":"WRITE","Effect":"allow","Subject":"*"}]"#

  /// Defines a user-meta namespace (admin-defined `usermeta-*`); `policies` is the JSON array of
  /// `serviceResourcePolicy` objects (`Action`, `Effect`, `Subject`).
  public func addNamespace(
    _ namespace: String, label: String, definition: String, policies: String = Store.openPolicies
  ) throws {
    try write { db in
      let position =
        try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(position), 0) + 1 FROM namespaces") ?? 1
      try db.execute(
        sql: "INSERT OR REPLACE INTO namespaces VALUES (?, ?, ?, 1, ?, ?)",
        arguments: [namespace, label, position, definition, policies])
    }
  }
}

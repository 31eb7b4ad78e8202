// CellsSandbox: users' tokens and the workspaces, held in memory as the index last committed them.
import GRDB

/// The tokens (with their users) and workspaces of a store, read in one go.
///
/// Every request resolves its token and the workspace of its path, while these tables change only
/// through `Store`'s own methods: a copy in memory, reloaded after each of those changes, saves
/// several queries per request.
struct Accounts: Sendable {
  /// A token's owner and validity.
  struct Grant: Sendable {
    var user: User
    /// Unix seconds; nil never expires.
    var expires: Double?
  }

  /// Grants by token, keyed by the token's UTF-8 bytes: SQLite compares text bytewise, while
  /// Swift's `String` equality would merge canonically equivalent spellings.
  var grants: [[UInt8]: Grant]
  /// Every workspace, in creation order.
  var workspaces: [Workspace]

  /// Reads the current tokens and workspaces.
  init(_ db: Database) throws {
    grants = [:]
    for row in try Row.fetchAll(
      db,
      sql: """
        SELECT tokens.token, tokens.expires, users.login, users.password, users.admin
        FROM tokens JOIN users ON users.login = tokens.login
        """)
    {
      let token: String = row["token"]
      grants[Array(token.utf8)] = Grant(
        user: User(login: row["login"], password: row["password"], isAdmin: row["admin"]),
        expires: row["expires"])
    }
    workspaces = try Row.fetchAll(db, sql: "SELECT * FROM workspaces ORDER BY position").map { row in
      Workspace(
        uuid: row["uuid"], slug: row["slug"], label: row["label"], datasource: row["datasource"],
        root: row["root"], readers: (row["readers"] as String).split(separator: ",").map(String.init),
        writers: (row["writers"] as String).split(separator: ",").map(String.init))
    }
  }
}

// CellsSandbox: a workspace, the user-context view of a datasource folder.

/// A workspace: a slug that maps to a folder of a datasource, with per-user rights.
///
/// `root` may contain `{login}`, so one workspace (`personal-files`) maps each user to their own
/// folder (`personal/<login>`), as Cells' template roots do.
public struct Workspace: Sendable, Equatable {
  /// The workspace UUID.
  public var uuid: String
  /// The first segment of user-context paths and S3 keys.
  public var slug: String
  /// The display label.
  public var label: String
  /// The datasource holding its root.
  public var datasource: String
  /// The root path inside the datasource ("" for the datasource root); may contain `{login}`.
  public var root: String
  /// Logins that may read; "*" for everyone.
  public var readers: [String]
  /// Logins that may write; "*" for everyone.
  public var writers: [String]

  /// Creates a workspace.
  public init(
    uuid: String, slug: String, label: String, datasource: String, root: String,
    readers: [String] = ["*"], writers: [String] = ["*"]
  ) {
    self.uuid = uuid
    self.slug = slug
    self.label = label
    self.datasource = datasource
    self.root = root
    self.readers = readers
    self.writers = writers
  }

  /// The root path inside the datasource for `login`.
  func rootPath(for login: String) -> String {
    root.replacingOccurrences(of: "{login}", with: login)
  }

  func canRead(_ login: String) -> Bool {
    readers.contains("*") || readers.contains(login) || canWrite(login)
  }

  func canWrite(_ login: String) -> Bool {
    writers.contains("*") || writers.contains(login)
  }

  /// "rw", "r" or "w": the `ws_permissions` value.
  func permissions(for login: String) -> String {
    canWrite(login) ? "rw" : "r"
  }
}

/// A user account.
public struct User: Sendable, Equatable {
  /// The login name.
  public var login: String
  /// The password accepted by `POST /a/frontend/session`.
  public var password: String
  /// Whether the user has the admin profile (admin tree, user-meta namespaces).
  public var isAdmin: Bool

  /// Creates a user.
  public init(login: String, password: String, isAdmin: Bool = false) {
    self.login = login
    self.password = password
    self.isAdmin = isAdmin
  }
}

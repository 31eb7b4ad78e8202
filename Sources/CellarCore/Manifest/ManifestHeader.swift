// CellarCore: what the manifest says before its nodes: who wrote it, from where, when.

/// The opening fields of a manifest (design.md §2), known when a backup starts.
public struct ManifestHeader: Codable, Sendable, Equatable {
  /// The tool that wrote the manifest.
  public struct Tool: Codable, Sendable, Equatable {
    /// "cellar".
    public var name: String
    /// Its version.
    public var version: String

    /// A tool record.
    public init(name: String, version: String) {
      self.name = name
      self.version = version
    }
  }

  /// The server backed up.
  public struct Server: Codable, Sendable, Equatable {
    /// Its root URL.
    public var url: String
    /// Its version, when the server tells.
    public var version: String

    /// A server record.
    public init(url: String, version: String) {
      self.url = url
      self.version = version
    }
  }

  /// The manifest format version this code writes.
  public static let currentFormat = 1

  /// The manifest format version.
  public var cellarManifest: Int
  /// The tool.
  public var tool: Tool
  /// The server.
  public var server: Server
  /// "user" (workspace paths) or "admin" (datasource paths).
  public var context: String
  /// The sources as given, normalized (no leading or trailing slash; "" for everything).
  public var sources: [String]
  /// When the backup started, ISO 8601 UTC.
  public var startedAt: String

  /// A header.
  public init(
    cellarManifest: Int = Self.currentFormat, tool: Tool, server: Server, context: String, sources: [String],
    startedAt: String
  ) {
    self.cellarManifest = cellarManifest
    self.tool = tool
    self.server = server
    self.context = context
    self.sources = sources
    self.startedAt = startedAt
  }
}

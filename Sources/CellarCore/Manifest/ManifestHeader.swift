// CellarCore: what the manifest says before its nodes: who wrote it, from where, when.

/// The opening fields of a manifest, known when a backup starts (docs/architecture.md, "Archive and manifest layout").
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

  /// The backup an incremental one is relative to (`cellar backup --since`).
  public struct Base: Codable, Sendable, Equatable {
    /// The base archive's file name.
    public var name: String
    /// SHA-256 of the whole base archive file, hex (from its sidecar).
    public var sha256: String
    /// When the base backup started, ISO 8601 UTC.
    public var startedAt: String

    /// A base record.
    public init(name: String, sha256: String, startedAt: String) {
      self.name = name
      self.sha256 = sha256
      self.startedAt = startedAt
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
  /// For an incremental backup, the backup it is relative to; nil for a full one.
  public var base: Base?
  /// For one shard of a backup split over several processes (`--shard`), which one; nil when
  /// the backup holds the whole of its sources.
  public var shard: ShardSpec?
  /// What the shards of one run share (`--shard-set`, a Kubernetes Job's name), so that the
  /// shards of different runs are never taken for one backup.
  public var shardSet: String?

  /// A header.
  public init(
    cellarManifest: Int = Self.currentFormat, tool: Tool, server: Server, context: String, sources: [String],
    startedAt: String, base: Base? = nil, shard: ShardSpec? = nil, shardSet: String? = nil
  ) {
    self.cellarManifest = cellarManifest
    self.tool = tool
    self.server = server
    self.context = context
    self.sources = sources
    self.startedAt = startedAt
    self.base = base
    self.shard = shard
    self.shardSet = shardSet
  }

  /// Whether a backup with this header covers the same part of the same tree as one of
  /// `context`, `sources` and `shard`: what an incremental backup and its base must share.
  public func covers(context: String, sources: [String], shard: ShardSpec?) -> Bool {
    self.context == context && self.shard == shard && self.sources.count == sources.count
      && zip(self.sources, sources).allSatisfy { $0.utf8.elementsEqual($1.utf8) }
  }
}

// CellsKit: the node of Cells' v1 REST API (`tree.Node`), as the server sends it.

/// A file or folder as the REST API describes it.
///
/// Every field may be omitted on the wire (zero values are), so each has a zero default.
public struct TreeNode: Codable, Sendable, Equatable {
  /// The kind of node; omitted on the wire means unknown.
  public enum Kind: String, Codable, Sendable {
    /// Unknown (omitted); datasource roots come this way.
    case unknown = "UNKNOWN"
    /// A file.
    case leaf = "LEAF"
    /// A folder.
    case collection = "COLLECTION"
  }

  /// The node's stable id ("DATASOURCE:<name>" and "ROOT" for admin roots).
  public var uuid: String
  /// The context path, without a leading slash.
  public var path: String
  /// File or folder.
  public var type: Kind
  /// Bytes (a folder's may be its cumulated size).
  public var size: Int64
  /// Modification time, Unix seconds.
  public var mtime: Int64
  /// The content ETag; "temporary" while an upload is being indexed.
  public var etag: String
  /// MetaStore values, verbatim: each is a JSON document as text.
  public var metaStore: [String: String]

  /// A node; unspecified fields take their zero values.
  public init(
    uuid: String = "", path: String, type: Kind = .unknown, size: Int64 = 0, mtime: Int64 = 0, etag: String = "",
    metaStore: [String: String] = [:]
  ) {
    self.uuid = uuid
    self.path = path
    self.type = type
    self.size = size
    self.mtime = mtime
    self.etag = etag
    self.metaStore = metaStore
  }

  /// The node's name (the last path component).
  public var name: String { CellsPath(path).name }

  /// True for folders, and for nodes of unknown type that the admin tree uses as roots.
  public var isFolder: Bool { type == .collection }

  /// True while the server is still indexing an upload (`Etag: "temporary"`).
  public var isTemporary: Bool { etag == "temporary" }

  /// The Cells content hash (`x-cells-hash`), unquoted, when the server has computed it.
  public var contentHash: String? { metaString("x-cells-hash") }

  /// How many children a folder has (`ChildrenCount`, markers not counted), when the server says.
  public var childrenCount: Int? {
    metaStore["ChildrenCount"].flatMap { Int($0) ?? Self.jsonString($0).flatMap { Int($0) } }
  }

  /// The MetaStore value under `key` when it is a JSON string, decoded (`"\"a\""` → `a`).
  public func metaString(_ key: String) -> String? {
    metaStore[key].flatMap(Self.jsonString)
  }

  /// A MetaStore string value decoded from its JSON text (`"\"a\""` → `a`).
  static func jsonString(_ text: String) -> String? {
    guard text.count >= 2, text.first == "\"", text.last == "\"" else { return nil }
    return String(text.dropFirst().dropLast())
  }

  enum CodingKeys: String, CodingKey {
    case uuid = "Uuid", path = "Path", type = "Type", size = "Size", mtime = "MTime", etag = "Etag"
    case metaStore = "MetaStore"
  }

  /// Decodes a node, treating every missing field as its zero value.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    uuid = try container.decodeIfPresent(String.self, forKey: .uuid) ?? ""
    path = try container.decodeIfPresent(String.self, forKey: .path) ?? ""
    type = (try? container.decodeIfPresent(Kind.self, forKey: .type)) ?? .unknown
    size = try container.decodeIfPresent(WireInt64.self, forKey: .size)?.value ?? 0
    mtime = try container.decodeIfPresent(WireInt64.self, forKey: .mtime)?.value ?? 0
    etag = try container.decodeIfPresent(String.self, forKey: .etag) ?? ""
    metaStore = try container.decodeIfPresent([String: String].self, forKey: .metaStore) ?? [:]
  }

  /// Encodes only non-zero fields, as the server's protojson does (and as strict decoding wants).
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    if !uuid.isEmpty { try container.encode(uuid, forKey: .uuid) }
    try container.encode(path, forKey: .path)
    if type != .unknown { try container.encode(type, forKey: .type) }
    if size != 0 { try container.encode(WireInt64(size), forKey: .size) }
    if mtime != 0 { try container.encode(WireInt64(mtime), forKey: .mtime) }
    if !etag.isEmpty { try container.encode(etag, forKey: .etag) }
    if !metaStore.isEmpty { try container.encode(metaStore, forKey: .metaStore) }
  }
}

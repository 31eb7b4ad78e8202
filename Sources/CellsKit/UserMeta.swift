// CellsKit: user metadata (tags, comments, bookmarks…) and the namespaces that define it.

/// One user-metadata value on a node (`idmUserMeta`).
public struct UserMeta: Codable, Sendable, Equatable {
  /// The node it belongs to.
  public var nodeUuid: String
  /// The namespace ("usermeta-tags", "bookmark"…).
  public var namespace: String
  /// The value as JSON text, kept verbatim.
  public var jsonValue: String

  /// A value for `nodeUuid` in `namespace`.
  public init(nodeUuid: String, namespace: String, jsonValue: String) {
    self.nodeUuid = nodeUuid
    self.namespace = namespace
    self.jsonValue = jsonValue
  }

  enum CodingKeys: String, CodingKey {
    case nodeUuid = "NodeUuid", namespace = "Namespace", jsonValue = "JsonValue"
  }

  /// Decodes a meta, tolerating omitted fields.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    nodeUuid = try container.decodeIfPresent(String.self, forKey: .nodeUuid) ?? ""
    namespace = try container.decodeIfPresent(String.self, forKey: .namespace) ?? ""
    jsonValue = try container.decodeIfPresent(String.self, forKey: .jsonValue) ?? ""
  }
}

/// A user-metadata namespace definition (`idmUserMetaNamespace`), as the sidecar keeps it.
public struct UserMetaNamespace: Codable, Sendable, Equatable {
  /// The name, starting with "usermeta-".
  public var namespace: String
  /// The label users see.
  public var label: String
  /// The display order.
  public var order: Int32
  /// Whether the search engine indexes it.
  public var indexable: Bool
  /// The definition, JSON text (`{"type":"tags"}`).
  public var jsonDefinition: String

  /// A namespace definition.
  public init(namespace: String, label: String, order: Int32 = 0, indexable: Bool = false, jsonDefinition: String) {
    self.namespace = namespace
    self.label = label
    self.order = order
    self.indexable = indexable
    self.jsonDefinition = jsonDefinition
  }

  enum CodingKeys: String, CodingKey {
    case namespace = "Namespace", label = "Label", order = "Order", indexable = "Indexable"
    case jsonDefinition = "JsonDefinition"
  }

  /// Decodes a definition, tolerating omitted fields.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    namespace = try container.decodeIfPresent(String.self, forKey: .namespace) ?? ""
    label = try container.decodeIfPresent(String.self, forKey: .label) ?? ""
    order = try container.decodeIfPresent(Int32.self, forKey: .order) ?? 0
    indexable = try container.decodeIfPresent(Bool.self, forKey: .indexable) ?? false
    jsonDefinition = try container.decodeIfPresent(String.self, forKey: .jsonDefinition) ?? ""
  }

  /// Encodes only the fields a definition needs (zero values omitted).
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(namespace, forKey: .namespace)
    if !label.isEmpty { try container.encode(label, forKey: .label) }
    if order != 0 { try container.encode(order, forKey: .order) }
    if indexable { try container.encode(indexable, forKey: .indexable) }
    try container.encode(jsonDefinition, forKey: .jsonDefinition)
  }
}

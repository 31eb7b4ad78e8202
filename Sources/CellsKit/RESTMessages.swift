// CellsKit: the request and response bodies of the v1 REST endpoints cellar calls. Requests carry
// only documented fields (the server rejects unknown ones); responses tolerate omitted ones.

/// `POST /a/tree/stats` request (`restGetBulkMetaRequest`).
struct BulkMetaRequest: Encodable {
  var nodePaths: [String]
  var limit: Int32?
  var offset: Int32?
  var versions: Bool?

  enum CodingKeys: String, CodingKey {
    case nodePaths = "NodePaths", limit = "Limit", offset = "Offset", versions = "Versions"
  }
}

/// `restPagination`: int32 fields, sent as JSON numbers.
struct Pagination: Decodable {
  var limit: Int32?
  var currentOffset: Int32?
  var total: Int32?
  var currentPage: Int32?
  var totalPages: Int32?
  var nextOffset: Int32?

  enum CodingKeys: String, CodingKey {
    case limit = "Limit", currentOffset = "CurrentOffset", total = "Total", currentPage = "CurrentPage"
    case totalPages = "TotalPages", nextOffset = "NextOffset"
  }
}

/// `restBulkMetaResponse`; `{}` for an empty listing.
struct BulkMetaResponse: Decodable {
  var nodes: [TreeNode]?
  var pagination: Pagination?

  enum CodingKeys: String, CodingKey {
    case nodes = "Nodes", pagination = "Pagination"
  }
}

/// `GET /a/tree/stat/{path}` response.
struct HeadNodeResponse: Decodable {
  var node: TreeNode?

  enum CodingKeys: String, CodingKey { case node = "Node" }
}

/// A node reference in requests: path and, for creation, type.
struct NodeReference: Encodable {
  var path: String
  var type: TreeNode.Kind?

  enum CodingKeys: String, CodingKey { case path = "Path", type = "Type" }
}

/// `POST /a/tree/admin/list` request (`treeListNodesRequest`); Limit and Offset are int64 strings.
struct AdminListRequest: Encodable {
  var node: NodeReference
  var recursive: Bool?
  var limit: WireInt64?
  var offset: WireInt64?

  enum CodingKeys: String, CodingKey {
    case node = "Node", recursive = "Recursive", limit = "Limit", offset = "Offset"
  }
}

/// `restNodesCollection`.
struct NodesCollection: Decodable {
  var parent: TreeNode?
  var children: [TreeNode]?

  enum CodingKeys: String, CodingKey { case parent = "Parent", children = "Children" }
}

/// `POST /a/tree/admin/stat` request (`treeReadNodeRequest`).
struct AdminStatRequest: Encodable {
  var node: NodeReference

  enum CodingKeys: String, CodingKey { case node = "Node" }
}

/// `treeReadNodeResponse`.
struct ReadNodeResponse: Decodable {
  var node: TreeNode?

  enum CodingKeys: String, CodingKey { case node = "Node" }
}

/// `POST /a/tree/create` request.
struct CreateNodesRequest: Encodable {
  var nodes: [NodeReference]
  var recursive: Bool?

  enum CodingKeys: String, CodingKey { case nodes = "Nodes", recursive = "Recursive" }
}

/// `POST /a/tree/delete` request.
struct DeleteNodesRequest: Encodable {
  var nodes: [NodeReference]
  var recursive: Bool?
  var removePermanently: Bool?

  enum CodingKeys: String, CodingKey {
    case nodes = "Nodes", recursive = "Recursive", removePermanently = "RemovePermanently"
  }
}

/// `POST /a/tree/restore` request.
struct RestoreNodesRequest: Encodable {
  var nodes: [NodeReference]

  enum CodingKeys: String, CodingKey { case nodes = "Nodes" }
}

/// `POST /a/frontend/session` request.
struct SessionRequest: Encodable {
  var authInfo: [String: String]

  enum CodingKeys: String, CodingKey { case authInfo = "AuthInfo" }
}

/// `restFrontSessionResponse`: the token is `JWT`, `ExpireTime` a Unix time.
struct SessionResponse: Decodable {
  var jwt: String?
  var expireTime: WireInt64?

  enum CodingKeys: String, CodingKey { case jwt = "JWT", expireTime = "ExpireTime" }
}

/// `GET /a/config/discovery` response (version fields empty when not authenticated).
struct DiscoveryResponse: Decodable {
  var version: String?

  enum CodingKeys: String, CodingKey { case version = "Version" }
}

/// A response whose content cellar does not need (jobs of delete and restore).
struct IgnoredResponse: Decodable {}

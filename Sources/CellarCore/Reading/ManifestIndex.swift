// CellarCore: the manifest a restore or a verify follows, read on a thread of its own: surveyed
// once, then matched to the archive's members (or the server's nodes) as they come.
import ArchiveKit
import CellsKit
import Foundation

/// Reads a manifest (sidecar or archive member) for restore and verify.
///
/// `survey` reads it through once (checks, namespaces, trailer); `node(for:)` then finds the
/// node of each member. Members come in the manifest's own order, so the lookup reads ahead and
/// keeps aside only the nodes it passes over: memory stays small for a cellar archive, and a
/// manifest in another order still works (it then holds what it has passed).
actor ManifestIndex {
  /// What a full read of the manifest found.
  struct Survey: Sendable {
    /// The header.
    var header: ManifestHeader
    /// The trailer.
    var trailer: ManifestTrailer
    /// The namespaces the nodes' restorable metadata uses.
    var namespaces: Set<String>
    /// Keys of the members (`memberKey`) that no node explains.
    var unexplained: Set<Int>
    /// A node outside the header's sources, if any.
    var outsideSources: String?
    /// In a shard's manifest, a node whose folder belongs to another shard, if any.
    var outsideShard: String?
    /// The first node whose path no restore may follow (traversal, absolute, NUL, a path named
    /// twice), with why.
    var unsafe: (path: String, reason: String)?
  }

  /// Which nodes of an incremental backup's manifest an index serves (every node when nil).
  enum Part: Sendable, Equatable {
    /// Those whose bytes (if any) are in this archive, by path.
    case own
    /// The files whose bytes are in the earlier archive with this SHA-256, by `memberPath`.
    case stored(sha256: String)
  }

  private let source: ManifestSource
  private let part: Part?
  /// Which nodes the reader keeps (all when nil): a restore `--only` drops the others as they are
  /// read, so that the nodes passed over on the way to a member do not pile up.
  private let keep: (@Sendable (ManifestNode) -> Bool)?
  private let executor = ThreadExecutor(name: "cellar-manifest-reader")
  private var reader: ManifestReader?
  private var passedOver: [[UInt8]: ManifestNode] = [:]
  private var exhausted = false

  nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

  /// An index over the manifest file at `path`.
  init(path: String) {
    self.init(source: .sidecar(path))
  }

  /// An index over the nodes of the manifest `source` that `part` selects and `keep` keeps.
  init(source: ManifestSource, part: Part? = nil, keep: (@Sendable (ManifestNode) -> Bool)? = nil) {
    self.source = source
    self.part = part
    self.keep = keep
  }

  deinit {
    executor.shutdown()
  }

  /// A key for a member or node: its path bytes and whether it is a folder.
  static func memberKey(_ path: String, isFolder: Bool) -> Int {
    var hasher = Hasher()
    hasher.combine(Array(path.utf8))
    hasher.combine(isFolder)
    return hasher.finalize()
  }

  /// Reads the whole manifest: checks each node against the sources, strikes the members it
  /// explains off `members`, and gathers the namespaces used.
  func survey(members: Set<Int>) throws -> Survey {
    let reader = try source.reader()
    let header = try reader.header()
    let roots = header.sources.map(CellsPath.init)
    var unexplained = members
    var namespaces: Set<String> = []
    var outside: String?
    var outsideShard: String?
    var unsafe: (path: String, reason: String)?
    var seen: Set<[UInt8]> = []
    while let node = try reader.nextNode() {
      if unsafe == nil { unsafe = Self.problem(with: node, seen: &seen) }
      if node.stored == nil { unexplained.remove(Self.memberKey(node.path, isFolder: node.isFolder)) }
      if outside == nil, !roots.contains(where: { $0.contains(CellsPath(node.path)) }) { outside = node.path }
      if outsideShard == nil, let shard = header.shard,
        let relative = roots.lazy.compactMap({ $0.relative(CellsPath(node.path)) }).first,
        !shard.takes(path: relative)
      {
        outsideShard = node.path
      }
      for meta in node.restorableMeta { namespaces.insert(meta.namespace) }
    }
    return Survey(
      header: header, trailer: try reader.trailer(), namespaces: namespaces, unexplained: unexplained,
      outsideSources: outside, outsideShard: outsideShard, unsafe: unsafe)
  }

  /// Why a restore must not follow `node`'s paths (its own, its member's, its versions'), or nil;
  /// `seen` holds the node paths met so far, to catch one named twice.
  private static func problem(with node: ManifestNode, seen: inout Set<[UInt8]>) -> (path: String, reason: String)? {
    let paths = [node.path, node.memberPath] + (node.versions ?? []).map(\.member)
    for path in paths {
      if let reason = CellsPath.problem(in: path) { return (path, reason) }
    }
    guard seen.insert(Array(node.path.utf8)).inserted else { return (node.path, "the manifest names it twice") }
    return nil
  }

  /// The node recorded for `path`, or nil when the manifest has none.
  func node(for path: String) throws -> ManifestNode? {
    let key = Array(path.utf8)
    if let node = passedOver.removeValue(forKey: key) { return node }
    while !exhausted {
      guard let node = try nextFromFile() else { break }
      let nodeKey = Array(self.key(of: node).utf8)
      if nodeKey == key { return node }
      passedOver[nodeKey] = node
    }
    return nil
  }

  /// The nodes recorded for `paths` (nil where the manifest has none), in one call.
  func nodes(for paths: [String]) throws -> [ManifestNode?] {
    try paths.map(node(for:))
  }

  /// The nodes no member asked for, one at a time, then nil.
  func nextUnclaimed() throws -> ManifestNode? {
    if let key = passedOver.keys.first { return passedOver.removeValue(forKey: key) }
    return try nextFromFile()
  }

  /// Up to `count` of the nodes no member asked for, in manifest order when none was asked for
  /// (a listing); empty at the end.
  func nextUnclaimed(upTo count: Int) throws -> [ManifestNode] {
    var nodes: [ManifestNode] = []
    while nodes.count < count, let node = try nextUnclaimed() { nodes.append(node) }
    return nodes
  }

  private func nextFromFile() throws -> ManifestNode? {
    guard !exhausted else { return nil }
    let reader = try self.reader ?? source.reader()
    self.reader = reader
    while let node = try reader.nextNode() {
      if let keep, !keep(node) { continue }
      switch part {
      case nil: return node
      case .own where node.stored == nil: return node
      case .stored(let sha256) where node.stored?.sha256 == sha256: return node
      default: continue
      }
    }
    exhausted = true
    return nil
  }

  /// The members of the nodes `keep` keeps (folders, and files whose bytes are in this archive),
  /// to be read from their offsets; nil when one of them has no offset (an older cellar's
  /// manifest).
  func seekTargets(keeping keep: (ManifestNode) -> Bool) throws -> [MemberVisitor.Target]? {
    let reader = try source.reader()
    _ = try reader.header()
    var targets: [MemberVisitor.Target] = []
    while let node = try reader.nextNode() {
      guard node.stored == nil, keep(node) else { continue }
      guard let offset = node.offset else { return nil }
      targets.append(
        MemberVisitor.Target(
          offset: offset, member: node.memberPath, size: node.isFolder ? 0 : node.size ?? 0, isFolder: node.isFolder))
    }
    return targets
  }

  /// The member path a node is looked up by.
  private func key(of node: ManifestNode) -> String {
    if case .stored = part { return node.memberPath }
    return node.path
  }
}

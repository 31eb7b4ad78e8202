// CellarCore: one shard of a backup split over several processes (`--shard K/N`).

/// Shard `index` of `count`: the share of a tree one of N backup processes takes.
///
/// A node belongs to the shard of the folder that holds it, chosen by a hash of that folder's
/// path below the source, so that the files of one folder stay together, every node falls in
/// exactly one shard, and a folder keeps its shard night after night (incremental backups
/// chain per shard). The sources' roots belong to shard 0.
public struct ShardSpec: Sendable, Equatable, Codable, CustomStringConvertible {
  /// Which shard, from 0 (as Kubernetes' `JOB_COMPLETION_INDEX`).
  public var index: Int
  /// How many shards the tree is split into.
  public var count: Int

  /// Shard `index` of `count`.
  public init?(index: Int, count: Int) {
    guard count >= 1, (0..<count).contains(index) else { return nil }
    self.index = index
    self.count = count
  }

  /// "K/N", as `--shard` takes it.
  public init?(_ text: String) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else { return nil }
    self.init(index: index, count: count)
  }

  /// "K/N".
  public var description: String { "\(index)/\(count)" }

  /// The suffix sharded outputs get before their extension: "-shardK-of-N".
  public var nameSuffix: String { "-shard\(index)-of-\(count)" }

  /// `name` with `nameSuffix` before its archive extension (`night.tar.zst.age` →
  /// `night-shard0-of-4.tar.zst.age`), or at its end when it has none.
  public func named(_ name: String) -> String {
    if name.hasSuffix(".meta.json") { return named(String(name.dropLast(10))) + ".meta.json" }
    let lowered = name.lowercased()
    let suffixes = [".tar.gz", ".tar.zst", ".tar.xz", ".tgz", ".tzst", ".txz", ".tar", ".zip"]
    var cut = lowered.hasSuffix(".age") ? 4 : 0
    if let suffix = suffixes.first(where: { lowered.dropLast(cut).hasSuffix($0) }) { cut += suffix.count }
    let stem = name.utf8.dropLast(cut)
    return String(decoding: stem, as: UTF8.self) + nameSuffix + String(decoding: name.utf8.suffix(cut), as: UTF8.self)
  }

  /// The shard of the nodes held by the folder `folder` (its path below the source; "" for
  /// the source itself).
  public static func shard(ofFolder folder: String, count: Int) -> Int {
    guard count > 1 else { return 0 }
    // FNV-1a, then mixed so that the low bits spread too: fixed forever, since a change would
    // move every folder to another shard.
    return Int(Hash64.mix(Hash64.fnv1a(folder.utf8)) % UInt64(count))
  }

  /// Whether this shard takes the node at `path` (below the source; "" for the source root).
  public func takes(path: String) -> Bool {
    guard !path.isEmpty else { return index == 0 }
    let folder = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? ""
    return Self.shard(ofFolder: folder, count: count) == index
  }
}

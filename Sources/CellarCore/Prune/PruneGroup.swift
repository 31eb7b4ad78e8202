// CellarCore: which backups of a directory belong together for `cellar prune` (`--group-by`).

/// Backups that a retention policy is applied to together: those of one server, context and
/// set of sources by default, as restic groups snapshots by host and paths.
public struct PruneGroup: Sendable {
  /// What backups are grouped by.
  public enum Key: String, Sendable, CaseIterable {
    /// The server's URL.
    case server
    /// The context (user or admin).
    case context
    /// The backed-up sources.
    case sources
  }

  /// The values that define the group, in `Key` order (only the keys grouped by).
  public var values: [(key: Key, value: String)]
  /// The shard of a backup split over several processes: the shards of one tree are always
  /// apart, whatever the keys, since each needs its own newest backups.
  public var shard: ShardSpec?
  /// The backups, oldest first.
  public var entries: [ArchiveCatalog.Entry]

  /// The group for a line of output: "server http://cells, context user, sources common-files".
  public var label: String {
    let label =
      values.isEmpty ? "all backups" : values.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ")
    return label + (shard.map { ", shard \($0)" } ?? "")
  }

  /// `entries` (oldest first) split by the values of `keys`; groups in the order of their
  /// first backup.
  public static func split(_ entries: [ArchiveCatalog.Entry], by keys: Set<Key>) -> [PruneGroup] {
    var groups: [PruneGroup] = []
    var index: [[String]: Int] = [:]
    for entry in entries {
      let values = Key.allCases.filter(keys.contains).map { ($0, value(of: $0, in: entry)) }
      let identity = values.map(\.1) + [entry.header.shard?.description ?? ""]
      if let position = index[identity] {
        groups[position].entries.append(entry)
      } else {
        index[identity] = groups.count
        groups.append(PruneGroup(values: values, shard: entry.header.shard, entries: [entry]))
      }
    }
    return groups
  }

  /// The keys of a `--group-by` value: a comma-separated list, or "" for a single group.
  public static func keys(_ text: String) throws -> Set<Key> {
    var keys: Set<Key> = []
    for word in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !word.isEmpty {
      guard let key = Key(rawValue: word) else {
        throw CellarError.usage(
          "--group-by \(text): \(word) is not one of \(Key.allCases.map(\.rawValue).joined(separator: ", "))")
      }
      keys.insert(key)
    }
    return keys
  }

  private static func value(of key: Key, in entry: ArchiveCatalog.Entry) -> String {
    switch key {
    case .server: entry.header.server.url
    case .context: entry.header.context
    case .sources: entry.header.sources.map { $0.isEmpty ? "/" : $0 }.joined(separator: " ")
    }
  }
}

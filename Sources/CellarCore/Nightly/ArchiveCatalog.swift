// CellarCore: the backups in a directory, known by their sidecars: when each started, what it
// covers, and which backup it is relative to. Read cheaply: a sidecar's first line (header) and
// last line (archive record), never its nodes.
import Foundation

/// The backups of one directory (`cellar prune`, `cellar backup --since DIR`).
public struct ArchiveCatalog: Sendable {
  /// One backup: its sidecar and what the sidecar says about it.
  public struct Entry: Sendable, Equatable {
    /// The sidecar's path.
    public var sidecar: String
    /// The archive's path (beside the sidecar, by the name the sidecar records).
    public var archive: String
    /// The sidecar's header (time, sources, base).
    public var header: ManifestHeader
    /// The archive's record (name, size, SHA-256).
    public var record: ManifestTrailer.Archive
    /// When the backup started.
    public var startedAt: Date

    /// Whether it is an incremental backup.
    public var isIncremental: Bool { header.base != nil }
  }

  /// The backups, oldest first.
  public var entries: [Entry]
  /// Sidecars that could not be read, with why.
  public var unreadable: [(path: String, reason: String)]

  /// Reads the sidecars (`*.meta.json`) of `directory`.
  public static func scan(_ directory: String) throws -> ArchiveCatalog {
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: directory)
    } catch {
      throw CellarError.usage("cannot read the directory \(directory)")
    }
    let sidecars = names.sorted().filter(isSidecarName).map { (directory as NSString).appendingPathComponent($0) }
    return try read(sidecars, s3: nil)
  }

  /// The catalog of `sidecars` (paths or `s3://` URLs), each read through `ArchiveLocation`.
  static func read(_ sidecars: [String], s3: S3Settings?) throws -> ArchiveCatalog {
    var catalog = ArchiveCatalog(entries: [], unreadable: [])
    for sidecar in sidecars {
      do {
        catalog.entries.append(try entry(sidecar, bytes: try ArchiveLocation.open(sidecar, s3: s3)))
      } catch CellarError.usage(let message) {
        throw CellarError.usage(message)  // encrypted, and no identity given: all would be passed over
      } catch {
        catalog.unreadable.append((sidecar, "\(error)"))
      }
    }
    catalog.sort()
    return catalog
  }

  /// Whether `name` is a sidecar's file name (hidden files left out).
  static func isSidecarName(_ name: String) -> Bool {
    name.hasSuffix(".meta.json") && !name.hasPrefix(".")
  }

  /// Oldest first; start times have a resolution of a second: within one, a backup comes after
  /// its base.
  mutating func sort() {
    let bySHA = Dictionary(entries.map { ($0.record.sha256, $0) }) { first, _ in first }
    func depth(_ entry: Entry) -> Int {
      var (count, current, seen) = (0, entry, Set<String>())
      while let base = current.header.base, let next = bySHA[base.sha256], seen.insert(base.sha256).inserted {
        (count, current) = (count + 1, next)
      }
      return count
    }
    let depths = Dictionary(entries.map { ($0.sidecar, depth($0)) }) { first, _ in first }
    entries.sort {
      ($0.startedAt, depths[$0.sidecar] ?? 0, $0.sidecar) < ($1.startedAt, depths[$1.sidecar] ?? 0, $1.sidecar)
    }
  }

  /// The newest backup of `sources` in `context`, or nil.
  public func latest(context: String, sources: [String], shard: ShardSpec? = nil) -> Entry? {
    backups(context: context, sources: sources, shard: shard).last
  }

  /// This catalog with only the backups `scope` names (every shard of them).
  ///
  /// That is what a profile's prune may touch. Unreadable sidecars stay: they may be anyone's.
  func restricted(to scope: Prune.Scope?) -> ArchiveCatalog {
    guard let scope else { return self }
    let sources = BackupSources.normalized(scope.sources)
    var catalog = self
    catalog.entries = entries.filter {
      $0.header.covers(context: scope.context, sources: sources, shard: $0.header.shard)
        && ($0.archive as NSString).lastPathComponent.hasPrefix(scope.namePrefix)
    }
    return catalog
  }

  /// The backups of `sources` (of `shard` of them, if any) in `context`, oldest first.
  public func backups(context: String, sources: [String], shard: ShardSpec? = nil) -> [Entry] {
    entries.filter { $0.header.covers(context: context, sources: sources, shard: shard) }
  }

  /// The backup whose archive has this SHA-256.
  public func entry(sha256: String) -> Entry? {
    entries.first { $0.record.sha256 == sha256 }
  }

  /// What the sidecar named `sidecar` (a path or an `s3://` URL), read through `bytes`, says
  /// about its backup.
  static func entry(_ sidecar: String, bytes: any ArchiveBytes) throws -> Entry {
    let header = try header(sidecar, bytes: bytes)
    let record = try record(sidecar, bytes: bytes)
    guard let started = ISO8601DateFormatter().date(from: header.startedAt) else {
      throw ManifestError.malformed(source: sidecar, line: 1, message: "startedAt is not an ISO 8601 time")
    }
    let folder = sidecar.hasPrefix("s3://") ? String(sidecar[...sidecar.lastIndex(of: "/")!]) : nil
    let archive =
      record.name == "-"
      ? String(sidecar.dropLast(".meta.json".count))
      : folder.map { $0 + record.name }
        ?? ((sidecar as NSString).deletingLastPathComponent as NSString).appendingPathComponent(record.name)
    return Entry(sidecar: sidecar, archive: archive, header: header, record: record, startedAt: started)
  }

  /// The sidecar's header, from its first lines (on S3, ranged reads of them only).
  static func header(_ sidecar: String, bytes: any ArchiveBytes) throws -> ManifestHeader {
    var offset: Int64 = 0
    return try ManifestReader(source: sidecar) {
      let chunk = try bytes.read(at: offset, count: 1 << 16)
      offset += Int64(chunk.count)
      return chunk.isEmpty ? nil : chunk
    }.header()
  }

  /// The archive record, from the sidecar's last line (`"archive":{…}}`, `ManifestWriter`), else
  /// from a full read.
  private static func record(_ sidecar: String, bytes: any ArchiveBytes) throws -> ManifestTrailer.Archive {
    struct Field: Decodable { var archive: ManifestTrailer.Archive }
    let tailSize = min(bytes.size, 65536)
    var tail = try bytes.read(at: bytes.size - tailSize, count: Int(tailSize))
    while tail.last == UInt8(ascii: "\n") { tail.removeLast() }
    let start = tail.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
    let line = tail[start...]
    if line.starts(with: Array("\"archive\":".utf8)), line.last == UInt8(ascii: "}"),
      let field = try? JSONDecoder().decode(Field.self, from: Data([UInt8(ascii: "{")] + line))
    {
      return field.archive
    }
    var offset: Int64 = 0
    let reader = ManifestReader(source: sidecar) {
      let chunk = try bytes.read(at: offset, count: 1 << 16)
      offset += Int64(chunk.count)
      return chunk.isEmpty ? nil : chunk
    }
    guard let archive = try reader.trailer().archive else {
      throw ManifestError.malformed(source: sidecar, line: nil, message: "no archive record")
    }
    return archive
  }
}

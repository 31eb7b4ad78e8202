// CellarCore: the files a drill restores, drawn at random from one archive or the shards of one.

/// A uniform sample of the files of one or more manifests (the shards of one backup), drawn in
/// one pass by reservoir sampling: memory for the sample only.
struct Drawn: Sendable {
  /// One archive drawn from.
  struct Archive: Sendable {
    /// The archive, as given.
    var name: String
    /// Its sidecar (on S3: the copy fetched), nil when the manifest is the archive's own member.
    var sidecar: String?
    /// Where its manifest is read.
    var source: ManifestSource { sidecar.map { .sidecar($0) } ?? .member(archive: name) }
    /// Whether it is on S3 (then an incremental archive is drawn among its own members).
    var remote: Bool
    /// Its manifest's header, once read.
    var header: ManifestHeader?
  }

  /// A file drawn, and the index of its archive.
  struct Pick: Sendable {
    var archive: Int
    var node: ManifestNode
  }

  var archives: [Archive]
  var sample: [Pick] = []
  /// The files and bytes of the archives' last state, all of them.
  var files = 0
  var bytes: Int64 = 0
  /// The files the sample was drawn among.
  var drawable = 0

  /// Draws `size` files of `archives`, the same ones for the same `seed`.
  init(_ archives: [Archive], size: Int, seed: UInt64?) throws {
    self.archives = archives
    var generator = SampleGenerator(seed: seed)
    for index in archives.indices {
      let reader = try archives[index].source.reader()
      let header = try reader.header()
      self.archives[index].header = header
      let ownOnly = archives[index].remote && header.base != nil
      while let node = try reader.nextNode() {
        guard !node.isFolder else { continue }
        files += 1
        bytes += node.size ?? 0
        if ownOnly && node.stored != nil { continue }
        drawable += 1
        if sample.count < size {
          sample.append(Pick(archive: index, node: node))
        } else {
          let slot = Int.random(in: 0..<drawable, using: &generator)
          if slot < size { sample[slot] = Pick(archive: index, node: node) }
        }
      }
    }
  }
}

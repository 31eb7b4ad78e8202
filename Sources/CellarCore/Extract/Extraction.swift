// CellarCore: `cellar cat` and `cellar extract`: members of an archive copied out, reading only
// the frames that hold them when the sidecar records where they are (docs/architecture.md,
// "Seekable archives"), else the whole archive.
import ArchiveKit
import CellsKit
import Foundation

/// Copies selected files and folders out of an archive, on a thread of its own (reads block on
/// the disk and decompression).
///
/// With a sidecar whose archive record matches the file and whose nodes have offsets, each
/// member is read from its offset (from its frame in tar.gz and tar.zst); consecutive members
/// share a reader. Otherwise the archive is read front to back. Every file's bytes are checked
/// against the manifest's SHA-256 before the file is put in place (standard output cannot wait:
/// there the check fails the command after the bytes). Memory grows with the number of nodes
/// selected, never with the archive.
public actor Extraction {
  private let executor = ThreadExecutor(name: "cellar-extract")
  /// The extraction's own thread.
  nonisolated public var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

  private let options: ExtractOptions
  private let report: @Sendable (ExtractEvent) -> Void
  /// Each requested path, then (once the manifest's header is read) the same path below each
  /// source of the backup.
  private var wanted: [[CellsPath]]
  private var matched: Set<Int> = []
  private var summary = ExtractSummary()

  /// An extraction of `options`, telling `report` about each node.
  public init(_ options: ExtractOptions, report: @escaping @Sendable (ExtractEvent) -> Void) throws {
    for path in options.paths where CellsPath.problem(in: String(path.drop { $0 == "/" })) != nil {
      throw CellarError.usage("\(path): not a path an archive can hold")
    }
    guard !options.paths.isEmpty else { throw CellarError.usage("name at least one path of the archive") }
    self.options = options
    self.report = report
    wanted = options.paths.map { [CellsPath($0)] }
  }

  deinit {
    executor.shutdown()
  }

  /// Runs the extraction; per-node failures are reported and counted, a failure of the whole
  /// (an unreadable archive, a path not in it) is thrown.
  public func run() throws -> ExtractSummary {
    let tree = try options.destination.map(LocalTree.init(root:))
    let output = ExtractOutput(tree: tree, overwrite: options.overwrite)
    let bytes = try ArchiveLocation.open(options.archive, s3: options.s3)
    summary.archiveBytes = bytes.size
    let fetched =
      options.sidecar == nil
      ? try BlockingCall.run { [options] in try await ArchiveLocation.fetchSidecar(of: options.archive, s3: options.s3)
      }
      : nil
    defer { fetched?.close() }
    var manifest = try fetched.map(\.path) ?? ManifestSource.sidecar(for: options.archive, given: options.sidecar)
    // Without a sidecar, the archive's own index, when it has one.
    let tail = manifest == nil ? try ArchiveTail.read(bytes) : nil
    defer { tail?.manifest.close() }
    if let tail { manifest = tail.manifest.path }
    if let manifest {
      let name = tail == nil ? nil : "\(options.archive):\(ManifestSource.memberName)"
      var (nodes, recorded) = try select(from: ManifestReader(path: manifest, name: name))
      if tree == nil { nodes = try oneFile(nodes) }
      try requireAllMatched()
      if let seeker = MemberSeeker(bytes: bytes, archive: tail?.record ?? recorded),
        nodes.allSatisfy({ $0.isFolder || $0.offset != nil || $0.stored != nil })
      {
        summary.seeked = true
        try extract(nodes, seeker: seeker, output: output)
      } else {
        try readWhole(known: nodes, bytes: bytes, output: output)
      }
    } else {
      try readWhole(known: nil, bytes: bytes, output: output)
      try requireAllMatched()
    }
    // A local archive read whole is read by path, past the counting `bytes`.
    let readByPath = !summary.seeked && bytes is LocalArchiveBytes
    summary.archiveBytesRead = readByPath ? bytes.size : bytes.bytesRead
    return summary
  }

  // MARK: - Selection

  /// The indices of the requested paths at or above `path` (a path asked for twice, or inside
  /// a folder also asked for, is matched by each).
  private func requests(for path: String) -> [Int] {
    let node = CellsPath(path)
    return wanted.indices.filter { wanted[$0].contains { $0.contains(node) } }
  }

  /// Lets each requested path also be given relative to the backup's sources, as
  /// `restore --only` takes it.
  private func addSources(of header: ManifestHeader) {
    for index in wanted.indices {
      let given = wanted[index][0]
      wanted[index] += header.sources.map { CellsPath($0).appending(given.string) }.filter { $0 != given }
    }
  }

  /// The manifest's nodes at or below the requested paths, in manifest (archive) order, and the
  /// archive record.
  private func select(from reader: ManifestReader) throws -> ([ManifestNode], ManifestTrailer.Archive?) {
    addSources(of: try reader.header())
    var nodes: [ManifestNode] = []
    while let node = try reader.nextNode() {
      let indices = requests(for: node.path)
      guard !indices.isEmpty else { continue }
      matched.formUnion(indices)
      nodes.append(node)
    }
    return (nodes, try reader.trailer().archive)
  }

  /// The one file `cat` writes: a folder, or a path that names two nodes (`ws/x`, and
  /// `ws/ws/x` through the sources) would mix several on standard output; the node named by the
  /// whole path given wins.
  private func oneFile(_ nodes: [ManifestNode]) throws -> [ManifestNode] {
    let given = CellsPath(options.paths[0])
    let exact = nodes.filter { CellsPath($0.path) == given }
    let chosen = nodes.count > 1 && exact.count == 1 ? exact : nodes
    if let folder = chosen.first(where: \.isFolder) { throw ExtractError.isFolder(path: folder.path) }
    if chosen.count > 1 { throw ExtractError.ambiguous(path: options.paths[0], matches: chosen.map(\.path)) }
    return chosen
  }

  private func requireAllMatched() throws {
    if let missing = wanted.indices.first(where: { !matched.contains($0) }) {
      throw ExtractError.notInArchive(path: options.paths[missing], archive: options.archive)
    }
  }

  // MARK: - From the offsets

  private func extract(_ nodes: [ManifestNode], seeker: MemberSeeker, output: ExtractOutput) throws {
    var files: [MemberVisitor.Target] = []
    var byMember: [[UInt8]: ManifestNode] = [:]
    for node in nodes {
      if node.isFolder {
        try attempt(node.path) { try folder(node, output: output) }
      } else if let stored = node.stored {
        fail(node.path, ExtractError.storedElsewhere(path: node.path, archive: stored.archive).description)
      } else if let offset = node.offset {
        files.append(MemberVisitor.Target(offset: offset, member: node.memberPath, size: node.size ?? 0))
        byMember[Array(node.memberPath.utf8)] = node
      }
    }
    let visitor = MemberVisitor(seeker: seeker, targets: files)
    while let visit = visitor.next() {
      try Task.checkCancellation()
      switch visit {
      case .found(let target, let member, let reader):
        guard let node = byMember[Array(target.member.utf8)] else { continue }
        try attempt(node.path) { try file(node, member: member, from: reader, output: output) }
      case .missing(let target):
        let path = byMember[Array(target.member.utf8)]?.path ?? target.member
        fail(path, ExtractError.missingMember(path: path).description)
      case .failed(let target, let error):
        fail(byMember[Array(target.member.utf8)]?.path ?? target.member, error.description)
      }
    }
  }

  /// Runs one node's work, reporting its `ExtractError` or `ArchiveError` as that node's failure.
  private func attempt(_ path: String, _ work: () throws -> Void) throws {
    do {
      try work()
    } catch let error as ExtractError {
      fail(path, error.description)
    } catch let error as ArchiveError {
      fail(path, error.description)
    }
  }

  // MARK: - Front to back

  /// Reads the whole archive, extracting the members selected: `known` nodes from a sidecar,
  /// else the members named by the requested paths, checked against the manifest member found
  /// at the end (a member without one is extracted unchecked, with a warning).
  private func readWhole(known: [ManifestNode]?, bytes: any ArchiveBytes, output: ExtractOutput) throws {
    var byMember: [[UInt8]: ManifestNode] = [:]
    for node in known ?? [] { byMember[Array(node.memberPath.utf8)] = node }
    let reader = try ArchiveLocation.reader(of: bytes, path: options.archive)
    var pending: [ExtractOutput.Pending] = []
    // Once the archive's manifest is read, a member it does not list is refused.
    var manifestRead = false
    while true {
      try Task.checkCancellation()
      let member: ArchiveMember?
      do {
        member = try reader.next()
      } catch let error as ArchiveError {
        if case .unsafeMemberName = error { report(.warning("passed over: \(error.description)")); continue }
        if case .unsupportedMemberType = error { report(.warning("passed over: \(error.description)")); continue }
        throw error
      }
      guard let member else { break }
      if known == nil, member.path == ManifestSource.memberName, member.kind == .file {
        pending = try verify(pending, against: reader, output: output)
        manifestRead = true
        continue
      }
      if ArchiveScan.isCellarMember(member.path) { continue }
      let node: ManifestNode?
      if known != nil {
        guard let recorded = byMember.removeValue(forKey: Array(member.path.utf8)) else { continue }
        node = recorded
      } else {
        let indices = requests(for: member.path)
        guard !indices.isEmpty else { continue }
        matched.formUnion(indices)
        node = nil
      }
      let path = node?.path ?? member.path
      do {
        if member.kind == .directory {
          try folder(
            node ?? ManifestNode(path: path, type: ManifestNode.folderType, uuid: "", mtime: 0), output: output)
        } else if let node {
          try file(node, member: member, from: reader, output: output)
        } else if manifestRead {
          throw ExtractError.notInManifest(path: path)
        } else {
          // Checked against the manifest member at the end (standard output gets the bytes now).
          pending.append(try output.write(path: path, member: member, from: reader))
        }
      } catch let error as ExtractError {
        fail(path, error.description)
      }
    }
    for (_, node) in byMember where !node.isFolder && node.stored == nil {
      fail(node.path, ExtractError.missingMember(path: node.path).description)
    }
    if !pending.isEmpty {
      report(.warning("\(options.archive) has no manifest: the files extracted could not be checked"))
      for item in pending { finish(item, sha256: nil, output: output) }
    }
  }

  /// Reads the manifest member and checks (and puts in place) the files waiting for it.
  private func verify(
    _ pending: [ExtractOutput.Pending], against reader: ArchiveReader, output: ExtractOutput
  ) throws -> [ExtractOutput.Pending] {
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    let manifest = ManifestReader(source: "\(options.archive):\(ManifestSource.memberName)") {
      let count = try chunk.withUnsafeMutableBytes { try reader.read(into: $0) }
      return count == 0 ? nil : Array(chunk[..<count])
    }
    var byPath: [[UInt8]: Int] = [:]
    for (index, item) in pending.enumerated() { byPath[Array(item.path.utf8)] = index }
    var digests: [Int: String?] = [:]
    _ = try manifest.header()
    while let node = try manifest.nextNode() {
      guard let index = byPath[Array(node.memberPath.utf8)], !node.isFolder else { continue }
      digests[index] = node.sha256
    }
    for (index, item) in pending.enumerated() {
      guard let digest = digests[index] else {
        // A member the manifest does not explain was put there by someone else.
        output.discard(item)
        fail(item.path, ExtractError.notInManifest(path: item.path).description)
        continue
      }
      finish(item, sha256: digest, output: output)
    }
    return []
  }

  // MARK: - One node

  private func folder(_ node: ManifestNode, output: ExtractOutput) throws {
    let local = try output.folder(node.path)
    summary.folders += 1
    report(.folder(path: node.path, local: local))
  }

  private func file(
    _ node: ManifestNode, member: ArchiveMember, from reader: ArchiveReader, output: ExtractOutput
  ) throws {
    if node.isDamaged { throw ExtractError.damaged(path: node.path) }
    let item = try output.write(
      path: node.path, member: member, from: reader, mtime: node.mtime, expected: node.sha256)
    finish(item, sha256: node.sha256, output: output)
  }

  /// Checks a file written against `sha256` (nil: unchecked) and puts it in place.
  private func finish(_ item: ExtractOutput.Pending, sha256: String?, output: ExtractOutput) {
    do {
      if let sha256, sha256 != item.sha256 {
        throw ExtractError.digestMismatch(path: item.path, expected: sha256, actual: item.sha256)
      }
      try output.publish(item)
      summary.files += 1
      summary.bytes += item.bytes
      report(.file(path: item.path, local: item.local ?? "-", bytes: item.bytes, verified: sha256 != nil))
    } catch {
      output.discard(item)
      fail(item.path, "\(error)")
    }
  }

  private func fail(_ path: String, _ message: String) {
    summary.errors += 1
    report(.failed(path: path, message: message))
  }
}

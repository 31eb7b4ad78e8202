// CellarCore: the archive stage of a backup: takes entries in walk order and turns each into
// archive members and a manifest record.
import CellsKit
import S3Kit

/// Appends each entry to the archive, one at a time.
///
/// Folders go in at once, read-ahead files from memory, large files streamed from the server,
/// old versions after their file.
final class Archiver {
  private let options: BackupOptions
  let connection: CellsConnection
  private let tracker: ProgressTracker
  let failures: FailureLog
  private let output: ArchiveOutput
  private let fetcher: FileFetcher
  /// The `usermeta-` namespaces met so far (the manifest's header lists them).
  var namespaces: Set<String> = []

  init(
    options: BackupOptions, connection: CellsConnection, tracker: ProgressTracker, failures: FailureLog,
    output: ArchiveOutput, fetcher: FileFetcher
  ) {
    self.options = options
    self.connection = connection
    self.tracker = tracker
    self.failures = failures
    self.output = output
    self.fetcher = fetcher
  }

  /// Archives one entry.
  ///
  /// Errors that leave the archive unusable (a member cut mid-way, the
  /// disk, the credentials) are thrown; a node that cannot be read is reported and left out.
  func archive(_ entry: BackupEntry, budget: ByteBudget) async throws {
    let node = entry.node
    guard !node.isFolder else {
      try await output.addFolder(record(entry, node: node, file: nil))
      tracker.update { $0.folders += 1 }
      report(node, size: nil, action: .archived, movedFrom: entry.movedFrom)
      return
    }
    if case .unchanged(let old) = entry.content {
      try await output.record(unchanged(entry, base: old))
      tracker.update { $0.unchanged += 1 }
      report(node, size: node.size, action: .unchanged, movedFrom: entry.movedFrom)
      return
    }
    guard let key = entry.key else { return failures.add(node.path, BackupPipeline.unmappedMessage) }
    switch entry.content {
    case .folder, .unchanged: return
    case .empty:
      let empty = ContentDigests.Result(sha256: Self.emptySHA256, cellsHash: Self.emptyCellsHash)
      try await complete(
        entry, key: key,
        whole: FetchedBody(
          bytes: [], sha256: empty.sha256, cellsHash: empty.cellsHash,
          check: ContentCheck.passed(expected: node.contentHash, empty)))
    case .readAhead(let task, let reserved):
      do {
        let body = try await task.value
        try await complete(entry, key: key, whole: body)
        await budget.release(reserved)
      } catch is FileFetcher.TooLarge {
        await budget.release(reserved)
        try await completeStreamed(entry, key: key)
      } catch {
        await budget.release(reserved)
        try await skip(node, because: error)
      }
    case .stream:
      try await completeStreamed(entry, key: key)
    }
  }

  /// The definitions of the user-metadata namespaces the archived nodes use.
  func namespacesInUse() async throws -> [UserMetaNamespace] {
    guard !namespaces.isEmpty else { return [] }
    do {
      return try await connection.rest.userMetaNamespaces().filter { namespaces.contains($0.namespace) }
    } catch {
      tracker.report(.warning(path: nil, message: "namespace definitions not read: \(error)"))
      return []
    }
  }

  // MARK: - Files

  /// A file written into the archive: the node (re-read if it changed), and what was written.
  struct ArchivedFile {
    var node: TreeNode
    var size: Int64
    var digests: ContentDigests.Result
    /// The check the bytes passed; nil until one is found.
    var check: ContentCheck?
    var sha256: String { digests.sha256 }
  }

  /// Archives a file whose bytes are all in memory.
  ///
  /// They are checked first, so that the member and its record
  /// (unless versions follow) go to the archive thread in one trip: thousands of small files
  /// otherwise cost thousands of thread switches.
  private func complete(_ entry: BackupEntry, key: String, whole body: FetchedBody) async throws {
    let fetched = ArchivedFile(
      node: entry.node, size: Int64(body.bytes.count),
      digests: ContentDigests.Result(sha256: body.sha256, cellsHash: body.cellsHash), check: body.check)
    // Bytes in memory that pass no check are left out: the archive never holds them.
    guard let file = try await checked(fetched, key: key, streamed: false) else { return }
    let record = options.versions ? nil : record(entry, node: file.node, file: file)
    try await output.addFile(path: entry.node.path, mtime: file.node.mtime, bytes: body.bytes, record: record)
    if options.versions {
      try await recordWithVersions(entry, file, key: key)
    } else {
      counted(file)
    }
  }

  /// Archives a file streamed from the server.
  private func completeStreamed(_ entry: BackupEntry, key: String) async throws {
    guard let file = try await stream(key, node: entry.node) else { return }
    guard let checked = try await checked(file, key: key, streamed: true) else { return }
    try await recordWithVersions(entry, checked, key: key)
  }

  /// Archives the file's old versions (when asked) after its member, then records it.
  private func recordWithVersions(_ entry: BackupEntry, _ file: ArchivedFile, key: String) async throws {
    let versions = options.versions ? try await archiveVersions(of: file.node, key: key) : nil
    try await output.record(record(entry, node: file.node, file: file, versions: versions))
    counted(file)
  }

  private func counted(_ file: ArchivedFile) {
    tracker.update {
      $0.files += 1
      $0.bytes += file.size
    }
    report(file.node, size: file.size)
  }

  /// Streams the file into the archive; the member's header takes the size the GET announces,
  /// which is the size of the bytes actually sent even if the file changed since the listing.
  private func stream(_ key: String, node: TreeNode, versionID: String? = nil, member: String? = nil) async throws
    -> ArchivedFile?
  {
    let digests = try ContentDigests()
    var started = false
    let begin: (S3ObjectInfo) async throws -> Void = { info in
      try digests.follow(etag: info.etag, size: info.size)
      try await self.output.beginFile(path: member ?? node.path, size: info.size, mtime: node.mtime)
      started = true
    }
    // The archive thread compresses and writes a chunk while this one hashes it (SHA-256) and a
    // third trails behind with the Cells hash.
    let output = self.output
    let consume: ([UInt8]) async throws -> Void = { chunk in
      async let written: Void = output.write(chunk)
      try await digests.updateStreaming(chunk)
      try await written
    }
    do {
      if versionID == nil && node.size > Self.rangeChunkSize * 2 {
        let download = RangedDownload(
          s3: connection.s3, key: key, chunkSize: Self.rangeChunkSize, parallel: Self.rangesInFlight)
        try await download.run(head: begin, consume: consume)
      } else {
        try await connection.s3.get(key, versionID: versionID, head: begin, consume: consume)
      }
    } catch let error where !started {
      try await skip(node, because: error)
      return nil
    }
    try await output.finishFile()
    let result = try await digests.finish()
    return ArchivedFile(
      node: node, size: digests.byteCount, digests: result,
      check: ContentCheck.passed(expected: node.contentHash, result))
  }

  /// The file once its bytes have passed a check (`ContentCheck`), or nil when they are left out.
  ///
  /// Bytes that pass none are judged again: the node may have changed since the listing (it is
  /// stat'ed: if the bytes are the node's as it is now, that node is recorded). Otherwise bytes
  /// in memory (already downloaded again by the fetcher) are left out, an error; streamed bytes
  /// are already in the archive, so the file is downloaded once more, hashed only: when both
  /// downloads agree on a file that may have gone up in parts of a size its ETag does not tell,
  /// it is `consistent`; else its record says `damaged`, an error, and verify and restore refuse it.
  private func checked(_ file: ArchivedFile, key: String, streamed: Bool) async throws -> ArchivedFile? {
    guard file.check == nil, let expected = file.node.contentHash else { return file }
    var file = file
    if let current = try? await connection.rest.stat(key),
      let check = ContentCheck.passed(expected: current.contentHash, file.digests), check != .unchecked
    {
      file.node = Self.keepingPath(of: file.node, from: current)
      file.check = check
      return file
    }
    let mismatch = "its bytes do not match the server's content hash (\(expected), got \(file.digests.cellsHash))"
    guard streamed else {
      if file.check == .consistent { return file }
      failures.add(file.node.path, "not archived: \(mismatch), downloaded \(FileFetcher.hashAttempts) times")
      return nil
    }
    let again = try? await downloadedDigests(key)
    if let again, ContentCheck.passed(expected: expected, again) != nil || again.sha256 != file.sha256 {
      // The server sends the right bytes now, or other bytes: those archived went wrong on the way.
      file.check = .damaged
    } else if again != nil, file.size > ContentCheck.smallestPart {
      file.check = .consistent
      tracker.report(
        .warning(
          path: file.node.path,
          message: "the server's content hash is not that of these bytes in any part size its ETag allows; "
            + "two downloads agree, so they are kept as the server's"))
      return file
    } else {
      file.check = .damaged
    }
    failures.add(file.node.path, "archived but damaged: \(mismatch); verify and restore refuse it")
    return file
  }

  /// The digests of the object downloaded once more, its bytes going nowhere else.
  private func downloadedDigests(_ key: String) async throws -> ContentDigests.Result {
    let digests = try ContentDigests()
    try await connection.s3.get(key) { info in
      try digests.follow(etag: info.etag, size: info.size)
    } consume: { chunk in
      try await digests.updateStreaming(chunk)
    }
    return try await digests.finish()
  }

  /// The versions of the file other than its live content, each archived as its own member.
  private func archiveVersions(of node: TreeNode, key: String) async throws -> [ManifestNode.Version]? {
    let listed: [TreeNode]
    do {
      listed = try await connection.rest.versions(of: key)
    } catch {
      failures.add(node.path, "versions not listed: \(error)")
      return nil
    }
    var versions: [ManifestNode.Version] = []
    for version in listed where version.etag != node.etag {
      guard let id = version.metaString("versionId") else { continue }
      let member = ManifestNode.versionMember(path: node.path, versionId: id)
      var source = node
      source.mtime = version.mtime
      guard let file = try await stream(key, node: source, versionID: id, member: member) else { continue }
      tracker.update { $0.bytes += file.size }
      versions.append(
        .init(
          versionId: id, member: member, size: file.size, mtime: version.mtime, etag: version.etag,
          sha256: file.sha256, description: version.metaString("versionDescription")))
    }
    return versions.isEmpty ? nil : versions
  }

  private func report(_ node: TreeNode, size: Int64?, action: NodeAction = .archived, movedFrom: String? = nil) {
    tracker.report(
      .node(
        NodeEvent(
          path: node.path, kind: NodeKind(isFolder: node.isFolder), size: size, action: action, movedFrom: movedFrom)))
  }

  /// A re-read node keeps the listed path (the member name), in admin context too.
  private static func keepingPath(of listed: TreeNode, from current: TreeNode) -> TreeNode {
    var node = current
    node.path = listed.path
    return node
  }

  /// Large files are fetched in ranges of this size, `rangesInFlight` at once (with the one being
  /// written, about 20 MiB of memory).
  static let rangeChunkSize: Int64 = 4 << 20
  static let rangesInFlight = 4

  static let emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
  // MD5 of the MD5 of one empty block (docs/cells-protocol.md, "Content hash").
  static let emptyCellsHash = "59adb24ef3cdbe0297f05b395827453f"
}

@available(*, unavailable)
extension Archiver: Sendable {}

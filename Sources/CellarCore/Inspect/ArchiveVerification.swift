// CellarCore: the member pass of `cellar verify`: every member read once, hashed on the fly, and
// matched with the manifest node by node (paths compared as bytes: NFC and NFD names differ).
import ArchiveKit
import Foundation

/// Reads every member of an archive and checks it against a manifest.
///
/// Checks that each node is present exactly once as a member of its type, that no member is
/// unknown to the manifest, that each file's size and SHA-256 (and each archived version's) are
/// the recorded ones, and, with a sidecar, that the archive's own manifest member is the
/// sidecar's body. Memory holds the keys of the members seen and the nodes the lookup passes
/// over (none when the members come in manifest order, as cellar writes them).
struct ArchiveVerification {
  /// The archive.
  let archive: String
  /// The manifest the members are checked against.
  let manifest: ManifestSource
  /// The sidecar the archive's manifest member is compared with, when there is a usable one.
  let sidecar: String?
  /// Whether the archive's checksum matched the sidecar's: differences are then the sidecar's.
  let sidecarTrusted: Bool
  let tracker: ProgressTracker
  /// In a chain, the last state's files whose bytes this (earlier) archive must hold.
  var references: StoredReferences?

  /// Whether any member or the manifest member disagreed with the manifest.
  private(set) var foundProblems = false
  private var manifestUsable = true
  private var seen: Set<Int> = []
  private var manifestMembers = 0
  private var expectedVersions: [[UInt8]: ManifestNode.Version] = [:]
  private var versionMembers: [[UInt8]: (path: String, digests: ArchiveCursor.Digests?)] = [:]

  init(archive: String, manifest: ManifestSource, sidecar: String?, sidecarTrusted: Bool, tracker: ProgressTracker) {
    self.archive = archive
    self.manifest = manifest
    self.sidecar = sidecar
    self.sidecarTrusted = sidecarTrusted
    self.tracker = tracker
  }

  /// Reads the archive to its end and reports every problem on the tracker.
  mutating func run() async throws {
    let cursor = ArchiveCursor(path: archive)
    // Files an incremental backup found unchanged are in earlier archives, not expected here.
    let index = ManifestIndex(source: manifest, part: .own)
    do {
      while true {
        let batch = try await cursor.nextHashed(upTo: 256)
        if batch.isEmpty { break }
        try Task.checkCancellation()
        // One lookup call for the batch's new node members; duplicates and cellar's own
        // members are handled one by one.
        let fresh = batch.map { item in
          !ArchiveScan.isCellarMember(item.member.path)
            && seen.insert(ManifestIndex.memberKey(item.member.path, isFolder: false)).inserted
        }
        let paths = zip(batch, fresh).filter(\.1).map(\.0.member.path)
        var nodes = await lookup(paths, in: index)[...]
        for (item, isFresh) in zip(batch, fresh) {
          if ArchiveScan.isCellarMember(item.member.path) {
            try await checkCellarMember(item.member, cursor: cursor)
          } else if !isFresh {
            fail(.manifest, item.member.path, "the archive holds this member more than once")
          } else {
            check(item.member, digests: item.digests, node: nodes.popFirst() ?? nil)
            if item.member.kind == .file { await checkReference(item.member.path, digests: item.digests) }
          }
        }
      }
    } catch let error as ArchiveError {
      fail(.archive, archive, "cannot be read to its end (\(error)); the members after that point were not checked")
      return
    }
    if manifestMembers == 0, manifestUsable, sidecar != nil {
      fail(.manifest, ManifestSource.memberName, "the archive has no manifest member; the sidecar was used alone")
    }
    while manifestUsable, let node = try await unclaimed(index) {
      fail(
        .manifest, node.path, "listed in the manifest as a \(node.isFolder ? "folder" : "file") but not in the archive")
    }
    checkVersions()
    await checkUnclaimedReferences()
  }

  /// A member the chain's last state takes bytes from, against the node that says so.
  private mutating func checkReference(_ path: String, digests: ArchiveCursor.Digests?) async {
    guard let references, let digests, references.concerns(path) else { return }
    let node: ManifestNode?
    do {
      node = try await references.index.node(for: path)
    } catch {
      referencesUnusable(error)
      return
    }
    guard let node else { return }
    let place = "its bytes are member \(path) of \(archive)"
    if let size = node.size, size != digests.size {
      fail(.chain, node.path, "\(place), which holds \(digests.size) bytes where the last manifest records \(size)")
    } else if let sha256 = node.sha256, sha256 != digests.sha256 {
      fail(
        .chain, node.path,
        "\(place), whose SHA-256 is \(digests.sha256) where the last manifest records \(sha256)")
    }
  }

  /// The nodes of the chain's last state whose member this archive does not hold.
  private mutating func checkUnclaimedReferences() async {
    guard let references else { return }
    while true {
      let node: ManifestNode?
      do {
        node = try await references.index.nextUnclaimed()
      } catch {
        referencesUnusable(error)
        return
      }
      guard let node else { return }
      fail(.chain, node.path, "its bytes are to be member \(node.memberPath) of \(archive), which does not hold it")
    }
  }

  private mutating func referencesUnusable(_ error: any Error) {
    references = nil
    fail(.chain, archive, "the last manifest cannot be read (\(error)); the files it takes from here were not checked")
  }

  /// The manifest member (compared with the sidecar), an old version (hashed for later), or
  /// anything else under `.cellar/` (unknown).
  private mutating func checkCellarMember(_ member: ArchiveMember, cursor: ArchiveCursor) async throws {
    let path = member.path
    if path.utf8.elementsEqual(ManifestSource.memberName.utf8) {
      manifestMembers += 1
      if manifestMembers > 1 {
        fail(.manifest, path, "the archive holds more than one manifest member")
      } else if let sidecar, let offset = try await cursor.differenceFromSidecar(sidecar) {
        let place = ManifestDifference.locate(in: sidecar, at: offset).place
        if sidecarTrusted {
          fail(
            .sidecar, sidecar,
            "differs from the archive's own manifest at \(place), yet the archive is the one it records: "
              + "the sidecar was changed")
        } else {
          fail(.manifest, path, "the archive's manifest differs from the sidecar at \(place)")
        }
      }
    } else if path.utf8.starts(with: ".cellar/versions/".utf8) {
      versionMembers[Array(path.utf8)] = (path, member.kind == .file ? try await cursor.digestRest() : nil)
    } else {
      fail(.manifest, path, "member unknown to the manifest")
    }
  }

  /// A folder or file member against its node (nil when the manifest has none).
  private mutating func check(_ member: ArchiveMember, digests: ArchiveCursor.Digests?, node: ManifestNode?) {
    tracker.update {
      if let digests {
        $0.files += 1
        $0.bytes += digests.size
      } else {
        $0.folders += 1
      }
    }
    guard let node else {
      if manifestUsable { fail(.manifest, member.path, "member unknown to the manifest") }
      return
    }
    let problems = tracker.snapshot.errors
    compare(node, isFolder: member.kind == .directory, digests: digests)
    for version in node.versions ?? [] { expectedVersions[Array(version.member.utf8)] = version }
    if tracker.snapshot.errors == problems {
      tracker.report(
        .node(
          NodeEvent(path: member.path, kind: NodeKind(isFolder: node.isFolder), size: digests?.size, action: .verified))
      )
    }
  }

  private mutating func compare(_ node: ManifestNode, isFolder: Bool, digests: ArchiveCursor.Digests?) {
    guard node.isFolder == isFolder else {
      let (recorded, found) = isFolder ? ("file", "folder") : ("folder", "file")
      fail(.manifest, node.path, "the manifest records a \(recorded), the archive holds a \(found)")
      return
    }
    if node.isDamaged {
      fail(
        .manifest, node.path,
        "recorded as damaged when it was backed up (its bytes failed the server's checks): not a good copy")
    }
    guard let digests else { return }
    if let size = node.size, size != digests.size {
      mismatch(node.path, "\(size) bytes", "\(digests.size)")
    } else if let sha256 = node.sha256, sha256 != digests.sha256 {
      mismatch(node.path, "SHA-256 \(sha256)", digests.sha256)
    }
  }

  private mutating func checkVersions() {
    for (key, version) in expectedVersions {
      guard let found = versionMembers.removeValue(forKey: key) else {
        fail(.manifest, version.member, "old version listed in the manifest but not in the archive")
        continue
      }
      if let digests = found.digests, digests.size != version.size {
        mismatch(version.member, "\(version.size) bytes", "\(digests.size)")
      } else if let digests = found.digests, let sha256 = version.sha256, sha256 != digests.sha256 {
        mismatch(version.member, "SHA-256 \(sha256)", digests.sha256)
      }
    }
    for (path, _) in versionMembers.values.sorted(by: { Array($0.path.utf8).lexicographicallyPrecedes($1.path.utf8) }) {
      fail(.manifest, path, "old version unknown to the manifest")
    }
  }

  /// A file whose bytes are not the recorded ones: damaged data, unless the archive is the one
  /// the sidecar records, in which case the sidecar was changed.
  private mutating func mismatch(_ path: String, _ recorded: String, _ found: String) {
    if sidecarTrusted {
      fail(.sidecar, path, "the sidecar records \(recorded), the archive (the one the sidecar records) holds \(found)")
    } else {
      fail(.data, path, "the manifest records \(recorded), the archive holds \(found)")
    }
  }

  /// The nodes of `paths` in one call; nils once the manifest turned out unusable.
  private mutating func lookup(_ paths: [String], in index: ManifestIndex) async -> [ManifestNode?] {
    guard manifestUsable, !paths.isEmpty else { return [] }
    do {
      return try await index.nodes(for: paths)
    } catch {
      manifestUnusable(error)
      return []
    }
  }

  private mutating func unclaimed(_ index: ManifestIndex) async throws -> ManifestNode? {
    do {
      return try await index.nextUnclaimed()
    } catch let error as ManifestError {
      manifestUnusable(error)
      return nil
    }
  }

  private mutating func manifestUnusable(_ error: any Error) {
    manifestUsable = false
    let message =
      if case ManifestError.absent = error {
        "no manifest: neither a sidecar nor a .cellar/manifest.json member; members were read but cannot be checked"
      } else {
        "\(error); the members cannot be checked against it"
      }
    fail(.manifest, manifest.name, message)
  }

  private mutating func fail(_ kind: VerifyProblem.Kind, _ path: String, _ message: String) {
    foundProblems = true
    tracker.fail(VerifyProblem(kind, path, message))
  }
}

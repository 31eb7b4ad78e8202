// CellarCore: the archive being restored, read member by member on a thread of its own (the
// reads block on disk and decompression, which must not hold a cooperative-pool thread).
import ArchiveKit
import Foundation
import HashKit

/// Reads an archive sequentially for restore: members, their bytes in bounded pieces, and the
/// SHA-256 and Cells hash of each file's bytes as they pass.
///
/// Memory holds one piece at a time (the caller's size) and libarchive's own buffers, whatever
/// the archive's size or compression.
actor ArchiveCursor {
  /// The digests of one file member's bytes.
  struct Digests: Sendable, Equatable {
    /// SHA-256, hex.
    var sha256: String
    /// The Cells content hash (`x-cells-hash`), hex.
    var cellsHash: String
    /// Bytes read.
    var size: Int64
  }

  /// Members to read from their offsets instead of the whole archive in order: the files a
  /// restore `--only` picks, in an archive whose sidecar records where they are.
  struct SeekPlan: Sendable {
    /// The sidecar's record of the archive, which must match the file.
    var archive: ManifestTrailer.Archive
    /// The members to read.
    var targets: [MemberVisitor.Target]
    /// How to reach an `s3://` archive.
    var s3: S3Settings?
  }

  private let path: String
  private let plan: SeekPlan?
  private var visitor: MemberVisitor?
  private let executor = ThreadExecutor(name: "cellar-archive-reader")
  private var reader: ArchiveReader?
  private var current: ArchiveMember?
  private var sha256: SHA256?
  private var cellsHash: CellsContentHash?
  private var bytesRead: Int64 = 0
  private var atEnd = false

  nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

  /// A cursor over the archive at `path` (an `s3://` URL too, with a `plan`), opened at the
  /// first `next()`: every member in order, or only the members of `plan`.
  init(path: String, plan: SeekPlan? = nil) {
    self.path = path
    self.plan = plan
  }

  deinit {
    executor.shutdown()
  }

  /// The next member, or nil at the end; unread bytes of the previous one are skipped.
  func next() throws -> ArchiveMember? {
    // libarchive refuses to be asked again once at the end.
    if atEnd { return nil }
    if let plan {
      (reader, current) = try nextPlanned(plan)
    } else {
      let reader = try reader ?? ArchiveLocation.reader(path, s3: nil)
      self.reader = reader
      current = try reader.next()
    }
    atEnd = current == nil
    if current?.kind == .file {
      sha256 = try SHA256()
      cellsHash = try CellsContentHash()
    } else {
      sha256 = nil
      cellsHash = nil
    }
    bytesRead = 0
    return current
  }

  /// The next member of `plan` found where the sidecar says, and its reader.
  ///
  /// A member missing
  /// there is passed over (the manifest's node then reports it missing); an archive that cannot
  /// be read there is refused, as in a full read.
  private func nextPlanned(_ plan: SeekPlan) throws -> (ArchiveReader?, ArchiveMember?) {
    let visitor: MemberVisitor
    if let existing = self.visitor {
      visitor = existing
    } else {
      guard let seeker = MemberSeeker(bytes: try ArchiveLocation.open(path, s3: plan.s3), archive: plan.archive) else {
        throw ArchiveError.source(message: "the archive is no longer the file its sidecar describes")
      }
      visitor = MemberVisitor(seeker: seeker, targets: plan.targets)
      self.visitor = visitor
    }
    while let visit = visitor.next() {
      switch visit {
      case .found(_, let member, let reader): return (reader, member)
      case .missing: continue
      case .failed(_, let error): throw error
      }
    }
    return (nil, nil)
  }

  /// Up to `count` bytes of the current file; fewer only at its end (empty there).
  func read(upTo count: Int) throws -> [UInt8] {
    guard let reader, current?.kind == .file else { return [] }
    var out = [UInt8](repeating: 0, count: count)
    let filled = try out.withUnsafeMutableBytes { raw -> Int in
      var filled = 0
      while filled < count {
        let got = try reader.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[filled...]))
        if got == 0 { break }
        filled += got
      }
      try sha256?.update(UnsafeRawBufferPointer(rebasing: raw[..<filled]))
      try cellsHash?.update(UnsafeRawBufferPointer(rebasing: raw[..<filled]))
      return filled
    }
    out.removeLast(count - filled)
    bytesRead += Int64(filled)
    return out
  }

  /// The current file's bytes, up to `size` of them, and their digests: `read(upTo:)` then
  /// `digests()` in one trip to the reader's thread (a restore of small files makes thousands).
  func readWhole(size: Int) throws -> Prefetched.Body {
    let bytes = try read(upTo: size)
    return (bytes, try digests())
  }

  /// A member read ahead, with its bytes when it is a small file.
  struct Prefetched: Sendable {
    /// A whole file and its digests.
    typealias Body = (bytes: [UInt8], digests: Digests?)
    var member: ArchiveMember
    /// The file's bytes, for files up to the batch's body limit.
    var body: Body?
  }

  /// Up to `count` members in one trip to the reader's thread, with the bytes of the files up to
  /// `bodyLimit` (about `byteBudget` of them in all): a restore of small files otherwise makes
  /// two trips per file.
  ///
  /// The batch ends after a file whose bytes stay unread (larger, sizeless, or under
  /// `.cellar/`), which remains the current member for `read(upTo:)`. Empty at the end.
  func nextBatch(upTo count: Int, bodyLimit: Int, byteBudget: Int) throws -> [Prefetched] {
    var batch: [Prefetched] = []
    var bytes = 0
    while batch.count < count, bytes < byteBudget, let member = try next() {
      guard member.kind == .file else {
        batch.append(Prefetched(member: member))
        continue
      }
      guard let size = member.size, size <= bodyLimit, !ArchiveScan.isCellarMember(member.path) else {
        batch.append(Prefetched(member: member))
        break
      }
      let body = try readWhole(size: Int(size))
      bytes += body.bytes.count
      batch.append(Prefetched(member: member, body: body))
    }
    return batch
  }

  /// Reads the rest of the current file through the reader's own buffer, hashing it: no
  /// allocation per member (a 1 MiB buffer each is an mmap, page faults and an munmap).
  func hashRest() throws {
    guard let reader, current?.kind == .file else { return }
    try reader.forEachChunk { chunk in
      try sha256?.update(chunk)
      try cellsHash?.update(chunk)
      bytesRead += Int64(chunk.count)
    }
  }

  /// Reads the rest of the current file without keeping it (checking that it is whole).
  func drain() throws -> Int64 {
    guard let reader, current?.kind == .file else { return 0 }
    var total: Int64 = 0
    try reader.forEachChunk { total += Int64($0.count) }
    return total
  }

  /// Copies the rest of the current file into the open file `handle`.
  func copy(to handle: FileHandle) throws {
    guard let reader, current?.kind == .file else { return }
    try reader.forEachChunk { try handle.write(contentsOf: $0) }
  }

  /// The digests of the current file once all its bytes have been read through `read(upTo:)`
  /// or `hashRest()`.
  func digests() throws -> Digests? {
    guard let sha256, let cellsHash else { return nil }
    self.sha256 = nil
    self.cellsHash = nil
    return Digests(sha256: try sha256.finalize().hex, cellsHash: try cellsHash.finalize().hex, size: bytesRead)
  }

  /// The index the archive carries in itself (`ArchiveTail`), read on the cursor's thread.
  func tail(s3: S3Settings?) throws -> ArchiveTail.Found? {
    try ArchiveTail.read(ArchiveLocation.open(path, s3: s3))
  }

  /// The SHA-256 of the whole archive (the plain one, when encrypted), read in 1 MiB pieces.
  func archiveChecksum() throws -> String {
    try ArchiveLocation.sha256(of: path, s3: nil)
  }
}

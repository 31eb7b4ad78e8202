// CellarCore: chosen members of an archive, visited in archive order from the offsets the
// manifest records, reading only the frames that hold them (docs/architecture.md, "Seekable
// archives").
import ArchiveKit

/// Visits chosen members of an archive through a `MemberSeeker`: each from its recorded
/// offset, or, when it starts soon after the member visited before it, by reading on, so that a
/// frame holding many chosen members is decompressed once.
///
/// A wrong offset (a damaged or foreign sidecar) finds another member or none: the member's name
/// is checked, and the target reported missing. Its bytes are the caller's to check against the
/// manifest's SHA-256. Use it from one thread at a time.
final class MemberVisitor {
  /// A member to visit.
  struct Target: Sendable, Equatable {
    /// Where its header starts (`ManifestNode.offset`).
    var offset: Int64
    /// The member's name (`ManifestNode.memberPath`).
    var member: String
    /// Its size in bytes, from the manifest (0 for a folder).
    var size: Int64
    /// Whether it is a folder's member.
    var isFolder = false
  }

  /// What a visit found.
  enum Visit {
    /// The member, with the reader positioned at its bytes.
    case found(Target, ArchiveMember, ArchiveReader)
    /// No such member where the manifest says.
    case missing(Target)
    /// The archive could not be read there (a damaged frame, a truncated file).
    case failed(Target, ArchiveError)
  }

  /// How far past the end of the member visited last the next one may start for the same reader
  /// to read on to it, rather than seeking anew: about one frame.
  static let reuseDistance: Int64 = 4 << 20
  /// A tar header block, counted with each member passed over.
  private static let headerSize: Int64 = 512

  private let seeker: MemberSeeker
  private let targets: [Target]
  private var nextIndex = 0
  private var reader: ArchiveReader?
  /// Where the last member the reader gave starts, and its size: the reader is past the one,
  /// and about past the other (a zip's header is smaller than a tar's, its data compressed).
  private var last: (offset: Int64, size: Int64) = (-1, 0)

  /// A visitor of `targets`, in the order of their offsets.
  init(seeker: MemberSeeker, targets: [Target]) {
    self.seeker = seeker
    self.targets = targets.sorted { $0.offset < $1.offset }
  }

  /// Bytes read from the archive file so far.
  var bytesRead: Int64 { seeker.bytesRead }

  /// The next target's visit, or nil after the last.
  func next() -> Visit? {
    guard nextIndex < targets.count else { return nil }
    let target = targets[nextIndex]
    nextIndex += 1
    do {
      // Reading on: a reader left broken by an earlier failure, or one that does not find the
      // member soon enough, gives way to a fresh one at the offset.
      if let reader, target.offset > last.offset, target.offset - last.offset - last.size <= Self.reuseDistance,
        let member = try? find(target, in: reader, within: Self.reuseDistance)
      {
        last = (target.offset, target.size)
        return .found(target, Self.named(member, target), reader)
      }
      let reader = try seeker.reader(at: target.offset)
      guard let member = try find(target, in: reader, within: 0) else {
        self.reader = nil
        return .missing(target)
      }
      self.reader = reader
      last = (target.offset, target.size)
      return .found(target, Self.named(member, target), reader)
    } catch let error as ArchiveError {
      reader = nil
      return .failed(target, error)
    } catch {
      reader = nil
      return .failed(target, .source(message: "\(error)"))
    }
  }

  /// The member under the name the manifest records: a zip read from an offset gives its names
  /// in NFC, so that the NFC and NFD spellings of a name, two nodes, would come back as one.
  private static func named(_ member: ArchiveMember, _ target: Target) -> ArchiveMember {
    ArchiveMember(
      path: target.member, kind: member.kind, size: member.size ?? target.size, mode: member.mode,
      mtime: member.mtime)
  }

  /// Moves `reader` to `target`'s member, passing over members of up to `distance` bytes in all;
  /// nil when it is not found so.
  private func find(_ target: Target, in reader: ArchiveReader, within distance: Int64) throws -> ArchiveMember? {
    var passed: Int64 = 0
    while let member = try reader.next() {
      // Only the member at the offset itself may match as Unicode text: read on, the NFC
      // spelling of a name would pass for its NFD twin.
      if member.kind == (target.isFolder ? .directory : .file),
        Self.names(member, target.member, atOffset: distance == 0)
      {
        return member
      }
      passed += Self.headerSize + (member.size ?? 0)
      if passed > distance { return nil }
    }
    return nil
  }

  /// Whether a member read is the one named `path`: byte for byte, or, for the member found at
  /// the offset itself, as Unicode text (libarchive gives a zip's names in NFC when it reads
  /// from an offset).
  static func names(_ member: ArchiveMember, _ path: String, atOffset: Bool) -> Bool {
    member.path.utf8.elementsEqual(path.utf8) || (atOffset && member.path == path)
  }
}

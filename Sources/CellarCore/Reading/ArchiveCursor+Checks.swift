// CellarCore: what `cellar verify` asks of the archive cursor: a member's digests without
// shipping its bytes, and the manifest member compared with the sidecar, both on the cursor's
// own thread.
import ArchiveKit
import Foundation

extension ArchiveCursor {
  /// Reads the rest of the current file, hashing it, and returns its digests (nil for a folder).
  func digestRest() throws -> Digests? {
    try hashRest()
    return try digests()
  }

  /// Up to `count` members, each file read and hashed, in one call (one hop to the cursor's
  /// thread for many small members).
  ///
  /// Stops after a member under `.cellar/`, whose data is left unread for the caller.
  func nextHashed(upTo count: Int) throws -> [(member: ArchiveMember, digests: Digests?)] {
    var batch: [(member: ArchiveMember, digests: Digests?)] = []
    while batch.count < count, let member = try next() {
      if ArchiveScan.isCellarMember(member.path) {
        batch.append((member, nil))
        break
      }
      batch.append((member, member.kind == .file ? try digestRest() : nil))
    }
    return batch
  }

  /// Compares the rest of the current file, the archive's copy of the manifest, with the
  /// sidecar at `sidecar`; returns the offset of the first difference, or nil when they agree.
  ///
  /// They agree when the member holds the sidecar's bytes up to the sidecar-only `archive`
  /// record, then closes the document with "\n}\n" where the sidecar goes on with ",\n"
  /// (`ManifestWriter`).
  func differenceFromSidecar(_ sidecar: String) throws -> Int64? {
    guard let handle = try? PlainFileReader(path: sidecar, name: sidecar) else { return 0 }
    let ending = ManifestWriter.memberEnding
    var offset: Int64 = 0
    var pending: [UInt8] = []
    while true {
      let chunk = try read(upTo: 1 << 16)
      if chunk.isEmpty { break }
      pending += chunk
      let settled = pending.count - ending.count
      guard settled > 0 else { continue }
      let expected = try handle.read(upTo: settled)
      if let at = (0..<settled).first(where: { $0 >= expected.count || expected[$0] != pending[$0] }) {
        return offset + Int64(at)
      }
      offset += Int64(settled)
      pending.removeFirst(settled)
    }
    let next = try handle.read(upTo: 2)
    return pending == ending && next == Array(",\n".utf8) ? nil : offset
  }
}

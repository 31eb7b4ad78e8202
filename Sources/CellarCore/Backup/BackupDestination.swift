// CellarCore: where a backup's archive and sidecar are written, and how the two are put in place
// together: local files renamed, or S3 objects completed.
import AgeKit
import DescriptorIO

/// The place a backup is written to: the archive's bytes as they come, the sidecar beside them.
///
/// The manifest is written, plain, to `sidecarDescriptor` while the archive is (it is read back
/// from there into the archive's manifest member); `publish` then puts archive and sidecar in
/// place, the sidecar encrypted to `recipients` when there are some. Until then nothing shows
/// under the final names; `discard` leaves nothing behind.
protocol BackupDestination: ArchiveBytesOut {
  /// The sidecar being written, readable and writable.
  var sidecarDescriptor: Int32 { get }
  /// Its name in messages.
  var sidecarWorkName: String { get }
  /// Puts the complete archive and sidecar in place.
  func publish(recipients: [AgeRecipient]) throws
  /// Removes what was written; what the final names held before stays.
  func discard()
}

extension BackupDestination {
  /// Copies the plain sidecar to `out`, encrypted to `recipients` when there are some, and ends
  /// `out`.
  func copySidecar(to out: ArchiveBytesOut, recipients: [AgeRecipient]) throws {
    let target = try recipients.isEmpty ? out : EncryptingOut(recipients: recipients, downstream: out)
    var buffer = [UInt8](repeating: 0, count: 1 << 20)
    var offset: Int64 = 0
    while true {
      let count: Int
      do {
        count = try buffer.withUnsafeMutableBytes { try DescriptorIO.read(sidecarDescriptor, into: $0, at: offset) }
      } catch {
        throw PartialFile.Problem.io(operation: "read back", path: sidecarWorkName, message: "\(error)")
      }
      if count == 0 { break }
      try buffer.withUnsafeBytes { try target.write(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
      offset += Int64(count)
    }
    try target.finish()
  }
}

// CellarCore: archive bytes encrypted on their way out, in the age format
// (docs/architecture.md, "Encryption").
import AgeKit

/// Encrypts a stream to age recipients and hands the ciphertext to `downstream`.
///
/// age encrypts in independent 64 KiB chunks, so the result can still be read at any offset by
/// whoever holds an identity (`AgeArchiveBytes`).
final class EncryptingOut: ArchiveBytesOut {
  private let writer: AgeEncryptingWriter
  private let downstream: ArchiveBytesOut

  init(recipients: [AgeRecipient], downstream: ArchiveBytesOut) throws {
    self.downstream = downstream
    writer = try AgeEncryptingWriter(recipients: recipients) { try downstream.write($0) }
  }

  func write(_ bytes: UnsafeRawBufferPointer) throws {
    try writer.write(bytes)
  }

  func finish() throws {
    try writer.finish()
    try downstream.finish()
  }
}

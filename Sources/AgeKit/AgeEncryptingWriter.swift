// AgeKit: streaming encryption to age recipients, chunk by chunk, without holding the plaintext.
import HashKit

/// Encrypts a stream to age recipients: the header and payload nonce, then 64 KiB chunks.
///
/// At most one chunk of plaintext is buffered: a full chunk is held until more bytes come or
/// `finish()` is called, because only then is it known whether it is the final chunk (which is
/// sealed differently). Use one writer from one task at a time; the output is an incomplete age
/// file until `finish()` returns.
public final class AgeEncryptingWriter {
  private let output: (UnsafeRawBufferPointer) throws -> Void
  private let payload: PayloadCipher
  private var buffer = [UInt8](repeating: 0, count: AgeFormat.chunkSize)
  private var buffered = 0
  private var sealed = [UInt8](repeating: 0, count: AgeFormat.sealedChunkSize)
  private var chunkIndex: Int64 = 0
  private var finished = false

  /// Starts an age file for `recipients` and writes its header and payload nonce to `output`.
  ///
  /// `output` gets the file in order; the buffer it is handed is reused, so it must copy what it
  /// keeps.
  /// Throws `AgeError.noRecipients` for an empty list, `.passphraseMixedWithRecipients` when a
  /// passphrase is not the only recipient, `.invalidRecipient` for a bad key, `.workFactorTooHigh`
  /// above 22; and whatever `output` throws.
  public init(recipients: [AgeRecipient], output: @escaping (UnsafeRawBufferPointer) throws -> Void) throws {
    guard !recipients.isEmpty else { throw AgeError.noRecipients }
    if recipients.count > 1, recipients.contains(where: { if case .scrypt = $0 { true } else { false } }) {
      throw AgeError.passphraseMixedWithRecipients
    }
    let fileKey = try SecureRandom.bytes(AgeFormat.fileKeySize)
    let stanzas = try recipients.map { recipient in
      switch recipient {
      case .x25519(let publicKey): try X25519Stanza.wrap(fileKey: fileKey, recipient: publicKey)
      case .scrypt(let passphrase, let workFactor):
        try ScryptStanza.wrap(fileKey: fileKey, passphrase: passphrase, workFactor: workFactor)
      }
    }
    let nonce = try SecureRandom.bytes(AgeFormat.payloadNonceSize)
    payload = try PayloadCipher(fileKey: fileKey, payloadNonce: nonce)
    self.output = output
    try (AgeHeader.encode(stanzas: stanzas, fileKey: fileKey) + nonce).withUnsafeBytes { try output($0) }
  }

  /// Encrypts `bytes`, writing every chunk that is complete and known not to be the last.
  public func write(_ bytes: UnsafeRawBufferPointer) throws {
    precondition(!finished, "write after finish")
    var offset = 0
    while offset < bytes.count {
      if buffered == AgeFormat.chunkSize { try emitBuffer(last: false) }
      // More than a chunk still to come: seal straight from the caller's bytes, saving a copy.
      if buffered == 0, bytes.count - offset > AgeFormat.chunkSize {
        try emit(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + AgeFormat.chunkSize)]), last: false)
        offset += AgeFormat.chunkSize
        continue
      }
      let count = min(AgeFormat.chunkSize - buffered, bytes.count - offset)
      buffer.withUnsafeMutableBytes { target in
        target.baseAddress!.advanced(by: buffered).copyMemory(from: bytes.baseAddress! + offset, byteCount: count)
      }
      buffered += count
      offset += count
    }
  }

  /// Encrypts the bytes of an array.
  public func write(_ bytes: [UInt8]) throws {
    try bytes.withUnsafeBytes { try write($0) }
  }

  /// Writes the final chunk (flagged as such; empty only when nothing was written at all).
  ///
  /// The writer takes no more bytes afterwards.
  public func finish() throws {
    precondition(!finished, "finish called twice")
    finished = true
    try emitBuffer(last: true)
  }

  private func emitBuffer(last: Bool) throws {
    try buffer.withUnsafeBytes { try emit(UnsafeRawBufferPointer(rebasing: $0[0..<buffered]), last: last) }
    buffered = 0
  }

  private func emit(_ plaintext: UnsafeRawBufferPointer, last: Bool) throws {
    let index = chunkIndex
    try sealed.withUnsafeMutableBytes { target in
      let length = try payload.seal(chunk: index, last: last, plaintext, into: target)
      try output(UnsafeRawBufferPointer(rebasing: target[0..<length]))
    }
    chunkIndex += 1
  }
}

@available(*, unavailable)
extension AgeEncryptingWriter: Sendable {}

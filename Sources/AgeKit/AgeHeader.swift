// AgeKit: the age header as parsed (stanzas, MAC, payload nonce) and its encoding and MAC.
import HashKit

/// A parsed age header with the payload nonce that follows it.
struct AgeHeader {
  /// The recipient stanzas, in file order.
  var stanzas: [AgeStanza]
  /// The header bytes the MAC covers: everything up to and including the "---" of the MAC line.
  var authenticatedBytes: [UInt8]
  /// The MAC the header carries.
  var mac: [UInt8]
  /// The 16-byte nonce the payload key is derived with.
  var payloadNonce: [UInt8]
  /// Bytes from the start of the file to the first payload chunk (header and nonce).
  var length: Int

  /// The header MAC of `bytes` under `fileKey`: HMAC-SHA256 keyed with HKDF(file key, "header").
  static func mac(of bytes: [UInt8], fileKey: [UInt8]) throws -> [UInt8] {
    let key = try HKDFSHA256.deriveKey(inputKeyMaterial: fileKey, salt: [], info: "header", byteCount: 32)
    return try HMACSHA256.authenticationCode(for: bytes, key: key).bytes
  }

  /// The encoded header for `stanzas`, MAC line included, under `fileKey`.
  static func encode(stanzas: [AgeStanza], fileKey: [UInt8]) throws -> [UInt8] {
    var bytes = AgeFormat.magic
    for stanza in stanzas { bytes += stanza.encoded }
    bytes += Array("---".utf8)
    let mac = try mac(of: bytes, fileKey: fileKey)
    bytes += [UInt8(ascii: " ")] + AgeBase64.encode(mac) + [UInt8(ascii: "\n")]
    return bytes
  }

  /// Whether `mac` is the MAC of this header under `fileKey`, compared in constant time.
  func isAuthentic(fileKey: [UInt8]) throws -> Bool {
    let expected = try Self.mac(of: authenticatedBytes, fileKey: fileKey)
    guard expected.count == mac.count else { return false }
    // Constant time: how many leading bytes matched must not show in the timing.
    var difference: UInt8 = 0
    for (one, other) in zip(expected, mac) { difference |= one ^ other }
    return difference == 0
  }
}

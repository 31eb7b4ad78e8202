// AgeKit: one recipient stanza of an age header, as read or about to be written.

/// A recipient stanza: its arguments (the first is the recipient type) and its binary body.
struct AgeStanza: Equatable {
  /// The space-separated arguments of the "->" line; the first names the recipient type.
  var arguments: [String]
  /// The decoded body, the wrapped file key for the native types.
  var body: [UInt8]

  /// The recipient type, such as "X25519" or "scrypt".
  var type: String { arguments[0] }

  /// The stanza as it appears in a header: the argument line, then the body in Base64 wrapped at
  /// 64 columns and ended by a shorter line (empty when the Base64 fills its last line).
  var encoded: [UInt8] {
    var output = Array("->".utf8)
    for argument in arguments { output += [UInt8(ascii: " ")] + Array(argument.utf8) }
    output.append(UInt8(ascii: "\n"))
    let text = AgeBase64.encode(body)
    var start = 0
    while true {
      let end = min(start + 64, text.count)
      output += text[start..<end]
      output.append(UInt8(ascii: "\n"))
      if end - start < 64 { break }
      start = end
    }
    return output
  }
}

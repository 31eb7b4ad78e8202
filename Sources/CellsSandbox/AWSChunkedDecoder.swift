// CellsSandbox: the `aws-chunked` content encoding modern AWS SDKs use for uploads.

import Foundation

/// Decodes an `aws-chunked` body (`STREAMING-UNSIGNED-PAYLOAD-TRAILER`).
///
/// The body is chunks of `<hex size>[;ext]\r\n<bytes>\r\n`, a zero-size chunk, then trailer
/// lines (such as `x-amz-checksum-crc32:<base64>`) and an empty line.
/// Fed in pieces of any size.
///
/// botocore ≥ 1.36 and the AWS CLI send this by default on PUT and UploadPart over HTTPS (with a
/// CRC32 trailer; over plain HTTP they sign the payload and send `x-amz-checksum-crc32` as a
/// header), so real users' clients need it even though Cells clients are told to avoid it
/// (docs/cells-protocol.md, "S3 gateway").
struct AWSChunkedDecoder {
  private enum State {
    case sizeLine
    case data(remaining: Int)
    case dataEnd
    case trailers
    case done
  }

  private var state = State.sizeLine
  private var line: [UInt8] = []
  /// Trailer headers, lowercased names.
  private(set) var trailers: [String: String] = [:]

  /// Whether the final empty line was seen.
  var isComplete: Bool {
    if case .done = state { return true }
    return false
  }

  /// Feeds encoded bytes and returns the payload bytes they carry.
  mutating func decode(_ input: UnsafeRawBufferPointer) throws -> [UInt8] {
    var output: [UInt8] = []
    var index = 0
    while index < input.count {
      switch state {
      case .sizeLine, .trailers, .dataEnd:
        let byte = input[index]
        index += 1
        line.append(byte)
        guard line.count >= 2, line[line.count - 2] == 0x0D, byte == 0x0A else {
          guard line.count < 8192 else { throw SandboxError.badInput("aws-chunked line too long") }
          continue
        }
        let text = String(decoding: line.dropLast(2), as: UTF8.self)
        line.removeAll(keepingCapacity: true)
        try endOfLine(text)
      case .data(let remaining):
        let take = min(remaining, input.count - index)
        output.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[index..<index + take]))
        index += take
        state = remaining - take == 0 ? .dataEnd : .data(remaining: remaining - take)
      case .done:
        // Bytes after the final line are ignored, as S3 does.
        return output
      }
    }
    return output
  }

  private mutating func endOfLine(_ text: String) throws {
    switch state {
    case .sizeLine:
      let sizeText = text.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
      guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size >= 0
      else { throw SandboxError.badInput("bad aws-chunked chunk size \"\(text)\"") }
      state = size == 0 ? .trailers : .data(remaining: size)
    case .dataEnd:
      guard text.isEmpty else { throw SandboxError.badInput("aws-chunked chunk not followed by CRLF") }
      state = .sizeLine
    case .trailers:
      if text.isEmpty {
        state = .done
      } else if let colon = text.firstIndex(of: ":") {
        trailers[text[..<colon].lowercased()] = text[text.index(after: colon)...]
          .trimmingCharacters(in: .whitespaces)
      }
    case .data, .done:
      break
    }
  }
}

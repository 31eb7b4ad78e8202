// CellsSandboxTests: aws-chunked uploads with a CRC32 trailer, what SDKs send over TLS.
import CellsSandbox
import Foundation
import HTTPKit
import HashKit
import S3Kit
import Testing

@Suite("aws-chunked uploads")
struct AWSChunkedTests {
  /// PUTs `payload` as STREAMING-UNSIGNED-PAYLOAD-TRAILER in chunks of `chunk` bytes with the
  /// given CRC32 trailer value.
  private func put(
    _ sandbox: Sandbox, key: String, payload: [UInt8], chunk: Int, crc: String
  ) async throws -> (status: Int, body: [UInt8]) {
    var body: [UInt8] = []
    var index = 0
    while index < payload.count {
      let piece = payload[index..<min(index + chunk, payload.count)]
      body += Array((String(piece.count, radix: 16) + "\r\n").utf8) + piece + Array("\r\n".utf8)
      index += chunk
    }
    body += Array("0\r\nx-amz-checksum-crc32:\(crc)\r\n\r\n".utf8)
    let target = S3Path.target(bucket: "io", key: key)
    let url = sandbox.baseURL.absoluteString + target
    // S3Kit's Payload has no streaming case, so sign through its public steps with the literal
    // x-amz-content-sha256 value the streaming form uses.
    let signer = SigV4Signer(accessKey: sandbox.token(for: "alice"), secretKey: "gatewaysecret")
    let amzDate = SigV4Signer.timestamp(Date())
    let payloadHash = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
    let fields: [(name: String, value: String)] = [
      ("host", "\(sandbox.baseURL.host!):\(sandbox.port)"), ("content-encoding", "aws-chunked"),
      ("x-amz-decoded-content-length", String(payload.count)),
      ("x-amz-trailer", "x-amz-checksum-crc32"), ("x-amz-date", amzDate),
      ("x-amz-content-sha256", payloadHash),
    ]
    let canonical = SigV4Signer.canonicalRequest(
      method: "PUT", rawPath: target, rawQuery: nil, headers: fields, payloadHash: payloadHash)
    let signature = try SigV4Signer.signature(
      stringToSign: try signer.stringToSign(canonicalRequest: canonical, amzDate: amzDate),
      signingKey: try signer.signingKey(dateStamp: String(amzDate.prefix(8))))
    let authorization = SigV4Authorization(
      accessKey: signer.accessKey, date: String(amzDate.prefix(8)), region: "us-east-1",
      service: "s3", signedHeaders: SigV4Signer.signedHeaderNames(fields), signature: signature)
    var headers = HTTPHeaders()
    for field in fields { headers.add(field.name, field.value) }
    headers.add("Authorization", authorization.headerValue)
    let response = try await http.execute(HTTPRequest(method: "PUT", url: url, headers: headers, body: .bytes(body)))
    return (response.status, try await response.body.collect(upTo: 1 << 20))
  }

  @Test("an aws-chunked body with a correct CRC32 trailer is decoded and stored")
  func decoded() async throws {
    try await withSandbox { sandbox in
      let payload = Array((0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
      let reply = try await put(
        sandbox, key: "common-files/chunked.bin", payload: payload, chunk: 8192,
        crc: CRC32.checksum(payload).base64)
      #expect(reply.status == 200, "\(String(decoding: reply.body, as: UTF8.self))")
      let back = try await sandbox.s3("GET", key: "common-files/chunked.bin", token: sandbox.token(for: "alice"))
      #expect(back.body == payload)
    }
  }

  @Test("a wrong CRC32 trailer is refused with BadDigest and nothing is stored")
  func badTrailer() async throws {
    try await withSandbox { sandbox in
      let reply = try await put(
        sandbox, key: "common-files/chunked.bin", payload: Array("abc".utf8), chunk: 2,
        crc: CRC32.checksum("abd").base64)
      #expect(reply.status == 400)
      #expect(s3ErrorCode(reply.body) == "BadDigest")
      #expect(try await sandbox.stats(#"{"NodePaths":["common-files/chunked.bin"]}"#).nodes.isEmpty)
    }
  }
}

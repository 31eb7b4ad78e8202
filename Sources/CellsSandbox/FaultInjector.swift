// CellsSandbox: what an injected fault does to a request and its answer.
import Foundation
import Hummingbird
import NIOCore

/// Applies one `InjectedFault`: answers in place of the server, or breaks the server's answer.
struct FaultInjector {
  let fault: InjectedFault
  let operation: String
  let isREST: Bool
  let resource: String
  let context: SandboxContext

  /// Bytes of a trickled body that come slowly, and how.
  static let trickledBytes = 2048
  static let trickleStep = 64
  static let tricklePause = Duration.milliseconds(15)

  /// The answer given instead of serving the request, for the shapes that do not serve it.
  func answerInstead() -> Response? {
    switch fault.shape {
    case .error:
      let error = SandboxError.injected(status: fault.status)
      return isREST
        ? SandboxResponder.json(status: fault.status, RESTAPI.errorBody(error))
        : S3Gateway.errorResponse(S3Error.from(error), resource: resource)
    case .throttle:
      var response =
        isREST
        ? SandboxResponder.json(status: 429, RESTAPI.errorBody(.injected(status: 429)))
        : S3Gateway.errorResponse(S3Error.slowDown, resource: resource)
      response.headers[.retryAfter] = "1"
      return response
    case .reset:
      return drop()
    case .lost, .cut, .stall, .trickle, .empty, .corrupt:
      return nil
    }
  }

  /// The served `response`, broken as the shape says.
  func breaking(_ response: Response) async throws -> Response {
    var response = response
    switch fault.shape {
    case .error, .throttle, .reset:
      return response
    case .lost:
      return drop()
    case .cut:
      guard let length = response.body.contentLength, length > 0 else { return drop() }
      let offset = fault.cutOffset(length: length)
      let original = response.body
      response.body = ResponseBody(contentLength: length) { writer in
        try await original.write(CuttingWriter(inner: writer, remaining: offset))
      }
      return response
    case .stall:
      try await Task.sleep(for: fault.stall)
      return response
    case .corrupt:
      guard let length = response.body.contentLength, length > 0 else { return response }
      let original = response.body
      let offset = fault.cutOffset(length: length)
      response.body = ResponseBody(contentLength: length) { writer in
        try await original.write(CorruptingWriter(inner: writer, offset: offset))
      }
      return response
    case .empty:
      if isREST { return SandboxResponder.json(status: 200, .object([])) }
      guard operation == S3Operation.listObjectsV2.rawValue else { return response }
      return S3Gateway.xml(
        S3XML.header + "<ListBucketResult xmlns=\"\(S3XML.namespace)\"><IsTruncated>false</IsTruncated>"
          + "<KeyCount>0</KeyCount></ListBucketResult>")
    case .trickle:
      let original = response.body
      response.body = ResponseBody(contentLength: original.contentLength) { writer in
        try await original.write(TricklingWriter(inner: writer))
      }
      return response
    }
  }

  /// Closes the connection; the response returned goes nowhere.
  private func drop() -> Response {
    context.channel.close(mode: .all, promise: nil)
    return Response(status: .internalServerError)
  }
}

/// Passes `remaining` bytes on, then fails the body, which closes the connection mid-body.
private struct CuttingWriter: ResponseBodyWriter {
  var inner: any ResponseBodyWriter
  var remaining: Int

  mutating func write(_ buffer: ByteBuffer) async throws {
    guard buffer.readableBytes >= remaining else {
      remaining -= buffer.readableBytes
      try await inner.write(buffer)
      return
    }
    if remaining > 0, let head = buffer.getSlice(at: buffer.readerIndex, length: remaining) {
      try await inner.write(head)
    }
    remaining = 0
    throw SandboxError.injected(status: 500)
  }

  consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
    throw SandboxError.injected(status: 500)
  }
}

/// Passes the body on with the byte at `offset` flipped.
private struct CorruptingWriter: ResponseBodyWriter {
  var inner: any ResponseBodyWriter
  var offset: Int

  mutating func write(_ buffer: ByteBuffer) async throws {
    var buffer = buffer
    if offset >= 0, offset < buffer.readableBytes,
      let byte = buffer.getInteger(at: buffer.readerIndex + offset, as: UInt8.self)
    {
      buffer.setInteger(byte ^ 0x5A, at: buffer.readerIndex + offset)
    }
    offset -= buffer.readableBytes
    try await inner.write(buffer)
  }

  consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
    try await inner.finish(trailingHeaders)
  }
}

/// Sends the first `FaultInjector.trickledBytes` a few bytes at a time with pauses, the rest as
/// it comes.
private struct TricklingWriter: ResponseBodyWriter {
  var inner: any ResponseBodyWriter
  var trickled = 0

  mutating func write(_ buffer: ByteBuffer) async throws {
    var buffer = buffer
    while trickled < FaultInjector.trickledBytes, buffer.readableBytes > 0 {
      let step = min(FaultInjector.trickleStep, buffer.readableBytes)
      try await inner.write(buffer.readSlice(length: step)!)
      trickled += step
      try await Task.sleep(for: FaultInjector.tricklePause)
    }
    if buffer.readableBytes > 0 { try await inner.write(buffer) }
  }

  consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
    try await inner.finish(trailingHeaders)
  }
}

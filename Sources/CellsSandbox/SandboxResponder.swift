// CellsSandbox: the HTTP entry point: fault injection around REST (`/a/`) or the S3 gateway.
import Foundation
import Hummingbird

/// Routes every request: `/a/...` to the REST API, everything else to the S3 gateway.
///
/// Injected latency applies before either; an injected failure replaces or breaks the answer.
struct SandboxResponder: HTTPResponder {
  typealias Context = SandboxContext
  let rest: RESTAPI
  let gateway: S3Gateway
  let faults: FaultPlan
  /// The largest REST request body read (REST bodies are small JSON documents).
  static let maximumRESTBody = 16 << 20

  func respond(to request: Request, context: Context) async throws -> Response {
    let isREST = request.uri.path.hasPrefix("/a/")
    // The control endpoints are exempt, so a test can always turn faults off again.
    if request.uri.path.hasPrefix("/a/sandbox/") { return try await serve(request, isREST: true, context: context) }
    if faults.latency > .zero { try await Task.sleep(for: faults.latency) }
    guard faults.failsRequests else { return try await serve(request, isREST: isREST, context: context) }
    let s3 = isREST ? nil : S3Request(request)
    let operation =
      if let s3 { S3Operation(s3)?.rawValue ?? request.method.rawValue } else {
        RESTAPI.operationName(method: request.method.rawValue, path: request.uri.path)
      }
    guard let fault = faults.fault(for: operation) else {
      return try await serve(request, isREST: isREST, s3: s3, context: context)
    }
    let injector = FaultInjector(
      fault: fault, operation: operation, isREST: isREST, resource: request.uri.path, context: context)
    if let answer = injector.answerInstead() { return answer }
    return try await injector.breaking(serve(request, isREST: isREST, s3: s3, context: context))
  }

  /// The server's own answer.
  private func serve(
    _ request: Request, isREST: Bool, s3: S3Request? = nil, context: Context
  ) async throws -> Response {
    guard isREST else { return await gateway.respond(request, s3: s3 ?? S3Request(request), context: context) }
    var body: [UInt8] = []
    for try await buffer in request.body {
      body += buffer.readableBytesView
      guard body.count <= Self.maximumRESTBody else {
        return Self.json(status: 500, RESTAPI.errorBody(.badInput("request body too large")))
      }
    }
    let (status, json) = await rest.respond(
      method: request.method.rawValue, rawPath: request.uri.path,
      authorization: request.headers[.authorization], body: body)
    return Self.json(status: status, json)
  }

  static func json(status: Int, _ value: JSONValue) -> Response {
    Response(
      status: HTTPResponse.Status(code: status), headers: [.contentType: "application/json"],
      body: ResponseBody(byteBuffer: ByteBuffer(string: value.serialized)))
  }
}

// CellsSandbox: the HTTP entry point: fault injection, then REST (`/a/`) or the S3 gateway.
import Foundation
import Hummingbird

/// Routes every request: `/a/...` to the REST API, everything else to the S3 gateway.
///
/// Injected latency and failures apply before either.
struct SandboxResponder: HTTPResponder {
  typealias Context = BasicRequestContext
  let rest: RESTAPI
  let gateway: S3Gateway
  let faults: FaultPlan
  /// The largest REST request body read (REST bodies are small JSON documents).
  static let maximumRESTBody = 16 << 20

  func respond(to request: Request, context: Context) async throws -> Response {
    let isREST = request.uri.path.hasPrefix("/a/")
    // The control endpoints are exempt, so a test can always turn faults off again.
    let isControl = request.uri.path.hasPrefix("/a/sandbox/")
    if !isControl, faults.latency > .zero { try await Task.sleep(for: faults.latency) }
    if !isControl, let status = faults.injectedFailure() {
      let error = SandboxError.injected(status: status)
      return isREST
        ? Self.json(status: status, RESTAPI.errorBody(error))
        : S3Gateway.errorResponse(S3Error.from(error), resource: request.uri.path)
    }
    guard isREST else { return await gateway.respond(request, context: context) }
    var body: [UInt8] = []
    do {
      for try await buffer in request.body {
        body += buffer.readableBytesView
        guard body.count <= Self.maximumRESTBody else {
          return Self.json(status: 500, RESTAPI.errorBody(.badInput("request body too large")))
        }
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

// CellsSandbox: the request context, which keeps the connection so that a fault can drop it.
import Hummingbird
import NIOCore

/// Hummingbird's basic context plus the request's channel.
struct SandboxContext: RequestContext {
  var coreContext: CoreRequestContextStorage
  /// The connection the request came on.
  let channel: any Channel

  init(source: ApplicationRequestContextSource) {
    coreContext = .init(source: source)
    channel = source.channel
  }
}

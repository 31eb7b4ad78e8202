// CellsSandbox: a running Cells-compatible server: start, address, tokens, stop.
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// A Cells-compatible server (REST under `/a/`, S3 gateway on `/io` and `/data`) on a loopback
/// port, with its state in a directory.
///
/// ```swift
/// try await withSandbox(seed: .demo) { sandbox in
///   // sandbox.baseURL, sandbox.token(for: "admin")
/// }
/// ```
public final class Sandbox: Sendable {
  /// The state (users, tree, contents).
  public let store: Store
  /// The server's root URL, such as `http://127.0.0.1:54321`.
  public let baseURL: URL
  /// The port bound.
  public let port: Int
  /// Whether the state directory is removed at `stop()` (a temporary one).
  private let ownsDirectory: Bool
  private let task: Task<Void, any Error>
  private let services: ServiceGroup
  private let faults: FaultPlan

  private init(
    store: Store, port: Int, host: String, ownsDirectory: Bool, task: Task<Void, any Error>,
    services: ServiceGroup, faults: FaultPlan
  ) {
    self.store = store
    self.port = port
    self.baseURL = URL(string: "http://\(host):\(port)")!
    self.ownsDirectory = ownsDirectory
    self.task = task
    self.services = services
    self.faults = faults
  }

  /// Starts a sandbox on `directory` (a new temporary one when nil), applying `seed` first (seeding
  /// an already seeded directory is skipped, so a restart keeps its tree).
  ///
  /// Returns once the port is bound.
  public static func start(
    directory: URL? = nil, seed: Seed? = nil, options: SandboxOptions = SandboxOptions()
  ) async throws -> Sandbox {
    let ownsDirectory = directory == nil
    let directory =
      directory
      ?? FileManager.default.temporaryDirectory.appendingPathComponent(
        "cells-sandbox-\(UUID().uuidString.lowercased())")
    let store = try Store(directory: directory)
    let clock: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }
    try store.applyBase(now: clock())
    if let seed { try seed.apply(to: store, now: clock()) }

    let faults = FaultPlan(settings: options.faults)
    var gateway = S3Gateway(store: store, clock: clock, faults: faults)
    gateway.indexingDelay = options.indexingDelay
    let responder = SandboxResponder(
      rest: RESTAPI(store: store, options: options, clock: clock, faults: faults),
      gateway: gateway, faults: faults)
    let (portStream, portContinuation) = AsyncStream.makeStream(of: Int.self)
    var logger = Logger(label: "cells-sandbox")
    // Hummingbird logs every connection dropped at shutdown as an error; tests and demos only
    // want to hear about real failures, which reach clients as HTTP errors anyway.
    logger.logLevel = options.logsServerErrors ? .error : .critical
    let app = Application(
      responder: responder,
      configuration: ApplicationConfiguration(
        address: .hostname(options.host, port: options.port), serverName: "CellsSandbox"),
      onServerRunning: { channel in
        portContinuation.yield(channel.localAddress?.port ?? 0)
        portContinuation.finish()
      },
      logger: logger)
    let services = ServiceGroup(
      services: [app], gracefulShutdownSignals: [], cancellationSignals: [], logger: logger)
    let task = Task {
      defer { portContinuation.finish() }
      try await services.run()
    }
    var port = 0
    for await bound in portStream { port = bound }
    guard port > 0 else {
      task.cancel()
      _ = try? await task.value
      throw SandboxError.internalError("the server did not start on \(options.host):\(options.port)")
    }
    return Sandbox(
      store: store, port: port, host: options.host, ownsDirectory: ownsDirectory, task: task,
      services: services, faults: faults)
  }

  /// The fixed token of a seeded user (seeds give each user one that never expires).
  public func token(for login: String) -> String {
    Seed.token(for: login)
  }

  /// The faults injected now.
  public var faultSettings: FaultSettings { faults.settings }

  /// Replaces the injected faults (draws restart from `settings.seed`).
  public func setFaults(_ settings: FaultSettings) {
    faults.update(settings)
  }

  /// Stops serving and, for a temporary directory, deletes the state.
  public func stop() async {
    // Graceful first: idle keep-alive connections close, requests in flight finish. A response
    // still streaming after a few seconds is cut by cancelling.
    await services.triggerGracefulShutdown()
    let task = self.task
    let deadline = Task {
      try await Task.sleep(for: .seconds(5))
      task.cancel()
    }
    _ = try? await task.value
    deadline.cancel()
    if ownsDirectory { try? FileManager.default.removeItem(at: store.directory) }
  }

  /// Runs the server until the task is cancelled or the service stops.
  public func wait() async {
    _ = try? await task.value
  }
}

/// Starts a sandbox, runs `body` with it, and stops it, whether `body` returns or throws.
public func withSandbox<T: Sendable>(
  seed: Seed? = .minimal, options: SandboxOptions = SandboxOptions(), directory: URL? = nil,
  _ body: (Sandbox) async throws -> T
) async throws -> T {
  let sandbox = try await Sandbox.start(directory: directory, seed: seed, options: options)
  do {
    let result = try await body(sandbox)
    await sandbox.stop()
    return result
  } catch {
    await sandbox.stop()
    throw error
  }
}

// CellarCore: healthchecks-style pings around a run (`--ping-url`).
import Foundation
import HTTPKit

/// Pings a monitoring URL when a run starts, succeeds or fails, as healthchecks.io (and its
/// self-hosted twins, Uptime Kuma's push monitors…) expect: `URL/start`, `URL`, `URL/fail`.
///
/// A ping never fails the run: each is bounded (`deadline`, a few attempts within it), and a
/// ping that cannot be delivered is only a warning. The three pings of one run carry the same
/// `rid` parameter, so that the monitor pairs them and measures the run's duration.
public struct HealthPing: Sendable {
  /// The outcome a ping reports.
  public enum Signal: String, Sendable {
    case start, success, fail
  }

  /// The monitoring URL as given.
  public let url: String
  /// How long one ping may take in all, attempts included.
  public var deadline: Duration = .seconds(10)
  private let runID = UUID().uuidString.lowercased()

  /// A pinger of `url`; nil when `url` is not http(s).
  public init?(_ url: String) {
    guard let components = URLComponents(string: url), ["http", "https"].contains(components.scheme?.lowercased()),
      components.host?.isEmpty == false
    else { return nil }
    self.url = url
  }

  /// The URL of `signal`: `/start` or `/fail` appended to the path, the run's id as `rid`.
  public func address(of signal: Signal) -> String {
    var components = URLComponents(string: url)!
    var path = components.percentEncodedPath
    while path.hasSuffix("/") { path.removeLast() }
    if signal != .success { path += "/" + signal.rawValue }
    components.percentEncodedPath = path
    components.queryItems = (components.queryItems ?? []) + [URLQueryItem(name: "rid", value: runID)]
    return components.string!
  }

  /// Sends `signal` with `body` (at most 10 KB of it); returns why it could not be delivered,
  /// nil when it was.
  public func send(_ signal: Signal, body: String = "") async -> String? {
    var bytes = Array(body.utf8.prefix(10_000))
    // Never half a character: drop a cut sequence's continuation bytes and its lead byte.
    if bytes.count < body.utf8.count {
      while let last = bytes.last, last & 0xC0 == 0x80 { bytes.removeLast() }
      if let last = bytes.last, last >= 0xC0 { bytes.removeLast() }
    }
    let request = HTTPRequest(
      method: "POST", url: address(of: signal), headers: ["Content-Type": "text/plain; charset=utf-8"],
      body: .bytes(bytes))
    let deadline = self.deadline
    return await withTaskGroup(of: String?.self) { group in
      group.addTask { await Self.deliver(request, attempts: 3) }
      group.addTask {
        try? await Task.sleep(for: deadline)
        return Task.isCancelled ? nil : "no answer within \(deadline.components.seconds) s"
      }
      let first = await group.next() ?? nil
      group.cancelAll()
      return first
    }
  }

  private static func deliver(_ request: HTTPRequest, attempts: Int) async -> String? {
    var configuration = HTTPClientConfiguration()
    configuration.connectTimeout = .seconds(5)
    configuration.idleTimeout = .seconds(5)
    let client: HTTPClient
    do {
      client = try HTTPClient(configuration: configuration)
    } catch {
      return "\(error)"
    }
    defer { client.shutdown() }
    var problem = "not sent"
    for attempt in 1...attempts {
      do {
        let response = try await client.execute(request)
        _ = try? await response.body.collect(upTo: 64 << 10)
        if (200..<300).contains(response.status) { return nil }
        problem = "HTTP \(response.status)"
        if response.status < 500 && response.status != 429 { return problem }
      } catch is CancellationError {
        return nil
      } catch {
        problem = "\(error)"
      }
      if attempt < attempts { try? await Task.sleep(for: .milliseconds(500 * attempt)) }
    }
    return problem
  }
}

// CellarCore: one run at a time per S3 prefix: the lock is an object written only if absent, and
// held as a lease that the holder renews and that expires when its holder died.
import Foundation
import S3Kit

/// The lock of an S3 output prefix, `PREFIX/.cellar.lock`.
///
/// Taken with a conditional write (`If-None-Match: *`), which S3, MinIO and moto refuse when the
/// object exists. Its body says who holds it and until when; the holder rewrites it every
/// `duration / 3`, so a lock whose time is past belongs to a run that died, and is taken over
/// (said so). Released by deleting the object.
public final class S3Lease: Sendable {
  /// The lock object.
  public let url: S3ObjectURL
  private let client: S3Client
  private let renewal: Task<Void, Never>
  /// The release a stopped process runs when this run cannot (`StopHooks`).
  private let stopHook: UUID

  private init(url: S3ObjectURL, client: S3Client, renewal: Task<Void, Never>) {
    self.url = url
    self.client = client
    self.renewal = renewal
    let key = url.key
    stopHook = StopHooks.add { _ = try? BlockingCall.run { try await client.delete(key) } }
  }

  /// The lock of the folder `url` is in.
  public static func url(besides url: S3ObjectURL, shard: ShardSpec? = nil) -> S3ObjectURL {
    url.sibling(url.folderKey + RunLock.name(shard: shard))
  }

  /// Takes the lock `url`, waiting (polling every `interval`) while a live run holds it.
  public static func acquire(
    _ url: S3ObjectURL, settings: S3Settings, tracker: ProgressTracker, duration: Duration = .seconds(600),
    interval: Duration = .seconds(2)
  ) async throws -> S3Lease {
    let client = try settings.client(bucket: url.bucket)
    let token = UUID().uuidString
    let name =
      "pid \(getpid()) on \(ProcessInfo.processInfo.hostName) since \(ISO8601DateFormatter().string(from: Date()))"
    var waited = false
    while true {
      do {
        try await write(url, client: client, holder: name, token: token, duration: duration, onlyIfAbsent: true)
        break
      } catch S3Error.server(_, _, 412, _, _) {
        let held = try? await holder(url, client: client)
        // Our own write, whose answer was lost and whose retry met it.
        if held?.token == token { break }
        if let held, held.expires < Date() {
          tracker.report(
            .warning(
              path: url.description, message: "took over a stale lock left by \(held.holder), which stopped renewing it"
            ))
          try? await client.delete(url.key)
          continue
        }
        if !waited {
          waited = true
          tracker.report(
            .warning(path: url.description, message: "waiting for the lock held by \(held?.holder ?? "another run")"))
        }
        try await Task.sleep(for: interval)
      } catch {
        throw CellarError.failed("cannot take the lock \(url): \(error)")
      }
    }
    let renewal = Task {
      while !Task.isCancelled {
        try? await Task.sleep(for: duration / 3)
        if Task.isCancelled { break }
        try? await write(url, client: client, holder: name, token: token, duration: duration, onlyIfAbsent: false)
      }
    }
    return S3Lease(url: url, client: client, renewal: renewal)
  }

  /// Stops renewing and deletes the lock.
  public func release() async {
    renewal.cancel()
    StopHooks.remove(stopHook)
    // Detached: a stopped run releases its lock too, and its own task is cancelled by then.
    let (client, key) = (client, url.key)
    await Task.detached { try? await client.delete(key) }.value
  }

  private struct Holder: Codable {
    var holder: String
    var token: String
    var expires: Date
  }

  private static func write(
    _ url: S3ObjectURL, client: S3Client, holder name: String, token: String, duration: Duration, onlyIfAbsent: Bool
  ) async throws {
    let holder = Holder(
      holder: name, token: token, expires: Date().addingTimeInterval(TimeInterval(duration.components.seconds)))
    let encoder = JSONEncoder()
    encoder.dateEncodingStrategy = .iso8601
    let body = Array(try encoder.encode(holder))
    try await client.put(url.key, contentType: "application/json", onlyIfAbsent: onlyIfAbsent) { .bytes(body) }
  }

  private static func holder(_ url: S3ObjectURL, client: S3Client) async throws -> Holder {
    var body: [UInt8] = []
    try await client.get(url.key) { body += $0 }
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    return try decoder.decode(Holder.self, from: Data(body))
  }
}

// CellarCore: one run at a time per output directory (`--lock FILE`).
import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An exclusive lock on a file, held for a whole run.
///
/// The kernel's `flock` is what excludes: it dies with its process, so a crashed run never
/// blocks the next one. The file also names its holder ("pid host time"), for the message of a
/// run that waits, and is emptied on release: a run that finds it free yet not empty takes over
/// the stale lock of a run that died, and says so. The file itself is never removed (removing
/// a locked file lets a third run lock a new file with the same name).
public final class RunLock: Sendable {
  /// The lock file.
  public let path: String
  private let descriptor: Mutex<Int32?>

  private init(path: String, descriptor: Int32) {
    self.path = path
    self.descriptor = Mutex(descriptor)
  }

  deinit {
    release()
  }

  /// The lock that the templated backups of `folder` and `cellar prune` of it share.
  public static func path(inFolder folder: String, shard: ShardSpec? = nil) -> String {
    ((folder.isEmpty ? "." : folder) as NSString).appendingPathComponent(name(shard: shard))
  }

  /// ".cellar.lock"; a shard's backups take ".cellar-shardK-of-N.lock", so that the shards of a
  /// night run side by side while two runs of one shard never do.
  static func name(shard: ShardSpec?) -> String {
    shard.map { ".cellar\($0.nameSuffix).lock" } ?? ".cellar.lock"
  }

  /// Takes the lock at `path`, waiting while another live run holds it.
  ///
  /// Polls every `interval`; reports the wait and a stale lock taken over on `tracker`.
  /// Cancellation ends the wait.
  public static func acquire(
    _ path: String, tracker: ProgressTracker, interval: Duration = .milliseconds(250)
  ) async throws -> RunLock {
    let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
      throw CellarError.failed("cannot open the lock file \(path): \(String(cString: strerror(errno)))")
    }
    var waited = false
    while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
      guard errno == EWOULDBLOCK || errno == EINTR else {
        let message = String(cString: strerror(errno))
        close(descriptor)
        throw CellarError.failed("cannot lock \(path): \(message)")
      }
      if !waited {
        waited = true
        let holder = Self.holder(descriptor)
        tracker.report(
          .warning(path: path, message: "waiting for the lock held by \(holder.isEmpty ? "another run" : holder)"))
      }
      do {
        try await Task.sleep(for: interval)
      } catch {
        close(descriptor)
        throw error
      }
    }
    let previous = Self.holder(descriptor)
    if !previous.isEmpty {
      tracker.report(
        .warning(path: path, message: "took over a stale lock left by \(previous), which is no longer running"))
    }
    writeHolder(descriptor)
    return RunLock(path: path, descriptor: descriptor)
  }

  /// Empties the file and releases the lock (also done on deinit); later calls do nothing.
  public func release() {
    guard let descriptor = descriptor.withLock({ $0.take() }) else { return }
    _ = ftruncate(descriptor, 0)
    flock(descriptor, LOCK_UN)
    close(descriptor)
  }

  private static func writeHolder(_ descriptor: Int32) {
    var host = [CChar](repeating: 0, count: 256)
    gethostname(&host, host.count - 1)
    let hostName = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    let line = Array("pid \(getpid()) on \(hostName) since \(ISO8601DateFormatter().string(from: Date()))\n".utf8)
    _ = ftruncate(descriptor, 0)
    _ = line.withUnsafeBytes { pwrite(descriptor, $0.baseAddress!, $0.count, 0) }
  }

  /// What the file says about its holder ("" when empty).
  private static func holder(_ descriptor: Int32) -> String {
    var buffer = [UInt8](repeating: 0, count: 512)
    let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress!, $0.count, 0) }
    guard count > 0 else { return "" }
    return String(decoding: buffer[..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
  }
}

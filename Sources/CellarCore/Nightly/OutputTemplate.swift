// CellarCore: dated output names (`--output '/backups/cf-%Y%m%d-%H%M.tar.zst'`).
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An output path that may hold strftime(3) conversions, expanded with the run's start time.
public struct OutputTemplate: Sendable, Equatable {
  /// The path as given.
  public var pattern: String
  /// Expand in the local time zone instead of UTC.
  public var localTime: Bool

  /// A template for `pattern`.
  public init(_ pattern: String, localTime: Bool = false) {
    self.pattern = pattern
    self.localTime = localTime
  }

  /// Whether the path holds a conversion (a `%`); "-" (standard output) never does.
  public var isTemplated: Bool { pattern != "-" && pattern.utf8.contains(UInt8(ascii: "%")) }

  /// The folder `output` writes into, when no conversion is in it: a directory, or an S3
  /// prefix ending in "/" (`s3://backups/cells/night-%Y%m%d.tar.zst` → `s3://backups/cells/`);
  /// nil for standard output or a templated folder.
  public static func folder(of output: String) -> String? {
    guard output != "-", let slash = output.lastIndex(of: "/") else { return output == "-" ? nil : "." }
    let folder = String(output[...slash])
    guard !folder.utf8.contains(UInt8(ascii: "%")), folder != "s3://" else { return nil }
    return (try? S3ObjectURL(folder)) != nil
      ? folder : String(folder.dropLast()).isEmpty ? "/" : String(folder.dropLast())
  }

  /// The path for a run started at `date` (the pattern itself when it is not templated).
  ///
  /// Throws `CellarError.usage` when the expansion is empty or too long.
  public func expand(at date: Date) throws -> String {
    guard isTemplated else { return pattern }
    var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
    var parts = tm()
    if localTime { localtime_r(&seconds, &parts) } else { gmtime_r(&seconds, &parts) }
    var buffer = [CChar](repeating: 0, count: 4096)
    let count = strftime(&buffer, buffer.count, pattern, &parts)
    guard count > 0 else { throw CellarError.usage("--output \(pattern) expands to nothing (or to over 4 KiB)") }
    return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}

// ArchiveKit: the archive formats cellar writes and reads.

/// An archive format that `ArchiveWriter` can produce and `ArchiveReader` can read back.
///
/// Tar variants are written as POSIX pax (`pax_restricted`: plain ustar headers, plus a pax
/// extended header only for members that need one, such as non-ASCII or long names), so GNU tar,
/// bsdtar and Python's `tarfile` all read them.
///
/// Zip members are compressed with deflate by default. A compression level of 0 means
/// *store* (no compression), as `zip -0` does; levels 1–9 are deflate levels.
public enum ArchiveFormat: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
  /// An uncompressed pax tar archive (`.tar`).
  case tar = "tar"
  /// A gzip-compressed pax tar archive (`.tar.gz`, `.tgz`).
  case tarGzip = "tar.gz"
  /// A Zstandard-compressed pax tar archive (`.tar.zst`, `.tzst`).
  case tarZstd = "tar.zst"
  /// An xz-compressed pax tar archive (`.tar.xz`, `.txz`).
  case tarXz = "tar.xz"
  /// A zip archive (`.zip`), deflate by default, stored when the level is 0.
  case zip = "zip"

  /// Infers the format from an output file name's extension, ignoring case.
  ///
  /// Recognises `.tar`, `.tar.gz`/`.tgz`, `.tar.zst`/`.tzst`, `.tar.xz`/`.txz` and `.zip`.
  /// Returns `nil` for anything else, including single-file compressors such as `.gz` alone.
  ///
  /// An age-encrypted archive's name ends in `.age` after the format's suffix (`x.tar.zst.age`).
  public init?(fileName: String) {
    var name = fileName.lowercased()
    if name.hasSuffix(".age") { name.removeLast(4) }
    // Longest suffixes first, so that "x.tar.gz" is never taken for a plain ".gz".
    let table: [(suffix: String, format: ArchiveFormat)] = [
      (".tar.gz", .tarGzip), (".tar.zst", .tarZstd), (".tar.xz", .tarXz),
      (".tgz", .tarGzip), (".tzst", .tarZstd), (".txz", .tarXz),
      (".tar", .tar), (".zip", .zip),
    ]
    guard let match = table.first(where: { name.hasSuffix($0.suffix) }) else { return nil }
    self = match.format
  }

  /// The usual file extension, without the leading dot (the raw value).
  public var fileExtension: String { rawValue }

  /// The compression levels this format accepts, or `nil` when it takes no level (plain tar).
  ///
  /// gzip, xz and zip take 0–9 (zip 0 = store). Zstandard takes 1–19: the "ultra" levels 20–22
  /// are refused because they need windows of up to 128 MiB in every reader, which a restore
  /// running next to other work should not have to pay for.
  public var compressionLevels: ClosedRange<Int>? {
    switch self {
    case .tar: nil
    case .tarGzip, .tarXz, .zip: 0...9
    case .tarZstd: 1...19
    }
  }

  /// Whether this format is one of the tar variants.
  public var isTar: Bool { self != .zip }

  /// The raw value, such as `tar.gz`.
  public var description: String { rawValue }
}

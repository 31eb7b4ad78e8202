// CellarCore: what a file's downloaded bytes were checked against, as the manifest records it.

/// The check a file's bytes passed at backup time (the manifest's `check`).
///
/// The server's `x-cells-hash` is the MD5 of 10 MiB block MD5s, but of blocks cut per part when
/// the file went up in parts (docs/cells-protocol.md, "Content hash"): a file uploaded in 8 MiB
/// parts (aws-cli) or 5 MiB parts (rclone) does not have the hash of its content taken whole. The part count is in the
/// object's multipart ETag (`…-N`), so the likely part sizes are tried too; a file whose hash
/// cannot be reproduced either way is a false alarm only when repeated downloads agree on it.
enum ContentCheck: String, Sendable, CaseIterable {
  /// `x-cells-hash` of the content taken whole.
  case cellsHash = "cells-hash"
  /// `x-cells-hash` of the content as uploaded in parts of one of the sizes the ETag allows.
  case cellsHashParts = "cells-hash-parts"
  /// The server's hash could not be reproduced (parts of a size the ETag does not tell), and
  /// repeated downloads gave the same bytes.
  case consistent = "consistent"
  /// The server gave no hash to check against (none yet, or still being indexed).
  case unchecked = "none"
  /// The bytes archived fail every check, downloaded again: `verify` reports the file and
  /// `restore` refuses to upload it.
  case damaged = "damaged"

  /// The smallest part S3 accepts but for the last: a file no larger went up in one piece.
  static let smallestPart: Int64 = 5 << 20

  /// The check `digests` pass against the server's `expected` hash; nil when they pass none.
  static func passed(expected: String?, _ digests: ContentDigests.Result) -> ContentCheck? {
    guard let expected else { return .unchecked }
    if expected == digests.cellsHash { return .cellsHash }
    if digests.partHashes.contains(expected) { return .cellsHashParts }
    return nil
  }

  /// The part sizes (whole MiB, not multiples of 10 MiB: those give the whole-content hash) an
  /// object of `size` bytes with this ETag may have been uploaded in, the usual ones first;
  /// three at most, none when the ETag is not a multipart one.
  static func candidatePartSizes(size: Int64, etag: String) -> [Int] {
    guard let dash = etag.lastIndex(of: "-"), let parts = Int64(etag[etag.index(after: dash)...]), parts > 1,
      size > 0
    else { return [] }
    let mebibyte: Int64 = 1 << 20
    // Parts of P bytes, the last shorter: (parts - 1) × P < size ≤ parts × P.
    let smallest = (size + parts - 1) / parts
    let lowest = (smallest + mebibyte - 1) / mebibyte
    var sizes: [Int64] = []
    var candidate = max(lowest, 1)
    while (parts - 1) * candidate * mebibyte < size, sizes.count < 64 {
      if candidate % 10 != 0 { sizes.append(candidate) }
      candidate += 1
    }
    let usual: Set<Int64> = [5, 8, 15, 16, 25, 32, 64, 100, 128]
    let ordered = sizes.filter(usual.contains) + sizes.filter { !usual.contains($0) }
    return ordered.prefix(3).map { Int($0 * mebibyte) }
  }
}

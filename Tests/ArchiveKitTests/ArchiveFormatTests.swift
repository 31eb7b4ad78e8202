// ArchiveKitTests: format names, extensions and levels.
import Testing

@testable import ArchiveKit

@Suite("ArchiveFormat")
struct ArchiveFormatTests {
  @Test(
    "infers the format from an output file name",
    arguments: [
      ("nightly.tar", ArchiveFormat.tar),
      ("nightly.tar.gz", .tarGzip), ("nightly.tgz", .tarGzip), ("NIGHTLY.TAR.GZ", .tarGzip),
      ("nightly.tar.zst", .tarZstd), ("nightly.tzst", .tarZstd), ("Nightly.Tar.Zst", .tarZstd),
      ("nightly.tar.xz", .tarXz), ("nightly.txz", .tarXz),
      ("export.zip", .zip), ("EXPORT.ZIP", .zip),
      ("/var/backups/2026-11-28.tar.gz", .tarGzip), ("dir.zip/inner.tar", .tar),
      ("nightly.tar.zst.age", .tarZstd), ("export.zip.AGE", .zip), ("s3://bucket/n.tar.xz.age", .tarXz),
    ])
  func inference(_ name: String, _ format: ArchiveFormat) {
    #expect(ArchiveFormat(fileName: name) == format)
  }

  @Test(
    "does not guess for other names",
    arguments: [
      "nightly", "nightly.gz", "nightly.zst", "nightly.xz", "nightly.tar.bz2", "nightly.7z",
      "nightly.tar.gz.partial", "tar", "zip", "", "nightly.age", "nightly.tar.gz.age.age",
    ])
  func noInference(_ name: String) {
    #expect(ArchiveFormat(fileName: name) == nil)
  }

  @Test("raw values are the command line's --format names")
  func rawValues() {
    #expect(ArchiveFormat.allCases.map(\.rawValue) == ["tar", "tar.gz", "tar.zst", "tar.xz", "zip"])
    for format in ArchiveFormat.allCases {
      #expect(ArchiveFormat(rawValue: format.rawValue) == format)
      #expect(ArchiveFormat(fileName: "x." + format.fileExtension) == format)
      #expect(format.description == format.rawValue)
    }
  }

  @Test("compression levels per format")
  func levels() {
    #expect(ArchiveFormat.tar.compressionLevels == nil)
    #expect(ArchiveFormat.tarGzip.compressionLevels == 0...9)
    #expect(ArchiveFormat.tarZstd.compressionLevels == 1...19)
    #expect(ArchiveFormat.tarXz.compressionLevels == 0...9)
    #expect(ArchiveFormat.zip.compressionLevels == 0...9)
    #expect(ArchiveFormat.allCases.filter(\.isTar).count == 4)
  }
}

// ArchiveKitTests: reads archives with tools that share no code with ArchiveKit.
import CellarTestSupport
import Foundation

/// One member as Python's tarfile/zipfile sees it.
struct IndependentMember: Decodable, Equatable {
  /// The stored name's bytes, hex-encoded (a directory's trailing "/" removed).
  var nameHex: String
  /// "file", "dir", or another type name.
  var type: String
  var size: Int64
  var mode: UInt32
  var mtime: Int64
  var sha256: String
  /// The data, hex-encoded (the test trees are small).
  var dataHex: String
  /// Zip only: the compression method (0 store, 8 deflate).
  var compressType: Int?
  /// Zip only: whether the UTF-8 name flag (bit 11) is set.
  var utf8Flag: Bool?

  enum CodingKeys: String, CodingKey {
    case nameHex = "name_hex", type, size, mode, mtime, sha256, dataHex = "data_hex"
    case compressType = "compress_type", utf8Flag = "utf8_flag"
  }
}

enum IndependentReader {
  /// Lists an archive with Python, printing JSON.
  ///
  /// tar: tarfile (gzip and xz built in); zip:
  /// zipfile, with the exact mtime taken from the extended-timestamp extra field (0x5455), since
  /// the DOS date is local time with 2-second steps.
  static let listScript = #"""
    import hashlib, json, stat, struct, sys, tarfile, zipfile
    kind, path = sys.argv[1], sys.argv[2]
    out = []
    def entry(name, typ, size, mode, mtime, data, **extra):
        d = {"name_hex": name.hex(), "type": typ, "size": size, "mode": mode, "mtime": mtime,
             "sha256": hashlib.sha256(data).hexdigest(), "data_hex": data.hex()}
        d.update(extra)
        out.append(d)
    if kind == "tar":
        with tarfile.open(path) as t:
            for m in t.getmembers():
                name = m.name.encode("utf-8", "surrogateescape").rstrip(b"/")
                typ = "file" if m.isfile() else "dir" if m.isdir() else "other"
                data = t.extractfile(m).read() if m.isfile() else b""
                entry(name, typ, m.size, m.mode & 0o7777, int(m.mtime), data)
    else:
        with zipfile.ZipFile(path) as z:
            for i in z.infolist():
                mtime = None
                extra = i.extra
                while len(extra) >= 4:
                    hid, size = struct.unpack("<HH", extra[:4])
                    body = extra[4:4 + size]
                    if hid == 0x5455 and body and body[0] & 1:
                        mtime = struct.unpack("<i", body[1:5])[0]
                    extra = extra[4 + size:]
                st_mode = i.external_attr >> 16
                typ = "dir" if i.is_dir() else "file" if stat.S_ISREG(st_mode) or st_mode == 0 else "other"
                data = z.read(i) if typ == "file" else b""
                entry(i.filename.encode("utf-8").rstrip(b"/"), typ, i.file_size, st_mode & 0o7777,
                      mtime, data, compress_type=i.compress_type, utf8_flag=bool(i.flag_bits & 0x800))
    json.dump(out, sys.stdout)
    """#

  /// Lists `archive` with Python.
  ///
  /// A `.tar.zst` is first decompressed by the `zstd` tool, because
  /// Python 3.11's tarfile has no zstd.
  static func list(_ archive: URL, zip: Bool, zstd: Bool, scratch: URL) throws -> [IndependentMember] {
    var input = archive
    if zstd {
      input = scratch.appendingPathComponent("decompressed-\(UUID().uuidString).tar")
      _ = try ChildProcess.output("zstd", ["-q", "-d", "-f", archive.path, "-o", input.path])
    }
    let json = try ChildProcess.output("python3", ["-c", listScript, zip ? "zip" : "tar", input.path])
    return try JSONDecoder().decode([IndependentMember].self, from: json)
  }
}

extension Array where Element == UInt8 {
  /// Lower-case hex, as Python's `bytes.hex()` writes it.
  var hex: String {
    let digits = Array("0123456789abcdef".utf8)
    var text = [UInt8]()
    text.reserveCapacity(count * 2)
    for byte in self {
      text.append(digits[Int(byte >> 4)])
      text.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: text, as: UTF8.self)
  }
}

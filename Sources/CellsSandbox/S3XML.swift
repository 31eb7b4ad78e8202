// CellsSandbox: the bits of S3's XML and header formats the gateway writes.
import Foundation
import S3Kit

/// Builders for S3 XML documents and date formats.
enum S3XML {
  static let header = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  static let namespace = "http://s3.amazonaws.com/doc/2006-03-01/"

  /// Escapes text for an XML element.
  static func escape(_ s: String) -> String {
    var out = ""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&apos;"
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  /// `<name>escaped value</name>`.
  static func element(_ name: String, _ value: String) -> String {
    "<\(name)>\(escape(value))</\(name)>"
  }

  /// An S3 error document.
  static func error(code: String, message: String, resource: String, requestID: String) -> String {
    header + "<Error>" + element("Code", code) + element("Message", message)
      + element("Resource", resource) + element("RequestId", requestID) + "</Error>"
  }

  /// ISO 8601 with milliseconds, as ListObjects writes `LastModified`.
  static func isoDate(_ seconds: Int64) -> String {
    let t = civil(seconds)
    return digits(t.tm_year + 1900, 4) + "-" + digits(t.tm_mon + 1, 2) + "-" + digits(t.tm_mday, 2) + "T"
      + digits(t.tm_hour, 2) + ":" + digits(t.tm_min, 2) + ":" + digits(t.tm_sec, 2) + ".000Z"
  }

  /// RFC 7231 date, for `Last-Modified`.
  static func httpDate(_ seconds: Int64) -> String {
    let t = civil(seconds)
    let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return days[Int(t.tm_wday)] + ", " + digits(t.tm_mday, 2) + " " + months[Int(t.tm_mon)] + " "
      + digits(t.tm_year + 1900, 4) + " " + digits(t.tm_hour, 2) + ":" + digits(t.tm_min, 2) + ":"
      + digits(t.tm_sec, 2) + " GMT"
  }

  /// `value` as `%0<width>d` writes it, without `String(format:)`, which showed in profiles of
  /// small GETs.
  private static func digits(_ value: Int32, _ width: Int) -> String {
    let magnitude = String(value.magnitude)
    let sign = value < 0 ? "-" : ""
    return sign + String(repeating: "0", count: max(0, width - sign.count - magnitude.count)) + magnitude
  }

  /// UTC calendar fields, thread-safe (`gmtime_r`), without a DateFormatter per response.
  private static func civil(_ seconds: Int64) -> tm {
    var time = time_t(seconds)
    var fields = tm()
    gmtime_r(&time, &fields)
    return fields
  }

  /// Parses an `x-amz-date` value ("20130524T000000Z") with `timegm`, not a DateFormatter
  /// (one per request showed in profiles).
  static func parseAmzDate(_ s: String) -> Date? {
    let bytes = Array(s.utf8)
    guard bytes.count == 16, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z") else {
      return nil
    }
    func number(_ range: Range<Int>) -> Int32? {
      var value: Int32 = 0
      for byte in bytes[range] {
        guard (48...57).contains(byte) else { return nil }
        value = value * 10 + Int32(byte - 48)
      }
      return value
    }
    guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8),
      let hour = number(9..<11), let minute = number(11..<13), let second = number(13..<15)
    else { return nil }
    var fields = tm()
    fields.tm_year = year - 1900
    fields.tm_mon = month - 1
    fields.tm_mday = day
    fields.tm_hour = hour
    fields.tm_min = minute
    fields.tm_sec = second
    return Date(timeIntervalSince1970: TimeInterval(timegm(&fields)))
  }

  /// Percent-encodes a key for `encoding-type=url` listings (what botocore decodes).
  static func urlEncode(_ s: String) -> String {
    var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: "\u{0}"..."\u{7f}"))
    allowed.insert(charactersIn: "-_.~/")
    return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
  }

  /// The `<PartNumber>`/`<ETag>` pairs of a CompleteMultipartUpload body, in document order.
  ///
  /// Read with S3Kit's XML reader, which decodes every entity: Go clients (rclone, the MinIO
  /// SDK) write the ETag's quotes as `&#34;`, Python and Java ones as `&quot;` or bare.
  static func completedParts(_ xml: [UInt8]) throws -> [(number: Int, etag: String)] {
    guard let document = try? S3XMLDocument(parsing: xml, recordNames: ["Part"]) else {
      throw S3Error.malformedXML
    }
    let parts = try document.records.map { part -> (Int, String) in
      guard let number = part.fields["PartNumber"].flatMap({ Int($0) }), let etag = part.fields["ETag"] else {
        throw S3Error.malformedXML
      }
      return (number, etag.trimmingCharacters(in: CharacterSet(charactersIn: "\" ")))
    }
    guard !parts.isEmpty else { throw S3Error.malformedXML }
    return parts
  }
}

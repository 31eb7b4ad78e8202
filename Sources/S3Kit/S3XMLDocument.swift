// S3Kit: the few facts cellar reads from S3's XML answers, pulled out in one pass.

/// The fields of an S3 XML answer: the text of each element directly under the root, and, for
/// repeated elements such as `Contents` or `Part`, the text of each one's direct children.
///
/// Read by `S3XMLScanner`, a strict reader of the XML S3 servers send (elements, attributes,
/// text, the five named entities and character references, CDATA, comments, processing
/// instructions), not by Foundation's `XMLParser`: on Linux that one trapped on hostile answers
/// (an element name that is not UTF-8, a processing instruction without data), found by
/// fuzzing. A DTD is refused, so no entity can expand.
///
/// Public for the sandbox, which reads the XML clients send it (CompleteMultipartUpload) with the
/// same reader.
public struct S3XMLDocument: Sendable {
  /// A repeated element and the text of its direct children.
  public struct Record: Sendable {
    /// The element's name.
    public var name: String
    /// The text of each direct child, entities decoded.
    public var fields: [String: String]
  }

  /// The text of each element directly under the root, entities decoded.
  public private(set) var fields: [String: String] = [:]
  /// The repeated elements asked for, in document order.
  public private(set) var records: [Record] = []

  /// Parses `data`, collecting records for the element names in `recordNames`.
  public init(parsing data: [UInt8], recordNames: Set<String> = []) throws {
    var depth = 0
    var text = ""
    var record: Record?
    var fields: [String: String] = [:]
    var records: [Record] = []
    var scanner = S3XMLScanner(data)
    try scanner.scan { event in
      switch event {
      case .start(let name):
        depth += 1
        text = ""
        if depth == 2, recordNames.contains(name) { record = Record(name: name, fields: [:]) }
      case .text(let piece):
        text += piece
      case .end(let name):
        if depth == 2, let finished = record, finished.name == name {
          records.append(finished)
          record = nil
        } else if depth == 3, record != nil {
          record?.fields[name] = text
        } else if depth == 2 {
          fields[name] = text
        }
        depth -= 1
        text = ""
      }
    }
    self.fields = fields
    self.records = records
  }

  /// Why an answer is not XML cellar can read.
  struct XMLFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
  }
}
